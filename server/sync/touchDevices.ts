import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { devices } from '../db/schema';

/**
 * Marks devices as seen (and, after a pull, synced) in one statement whatever their number,
 * for the group commits of pulls and pushes. Rows are updated in id order, so that two
 * processes flushing at once lock them in the same order.
 */
export async function touchDevices(
	tx: Executor,
	rows: readonly { deviceId: string; at: Date; label?: string | null }[],
	options: { synced: boolean }
): Promise<void> {
	if (rows.length === 0) return;
	const sorted = [...rows].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
	const values = sql.join(
		sorted.map((r) => sql`(${r.deviceId}::uuid, ${r.at.toISOString()}::timestamptz, ${r.label ?? null}::text)`),
		sql`, `
	);
	const synced = options.synced ? sql`, last_sync_at = v.at` : sql``;
	await tx.execute(sql`
		update ${devices} set last_seen_at = v.at${synced}, label = coalesce(v.label, ${devices.label})
		from (values ${values}) as v(id, at, label) where ${devices.id} = v.id`);
}
