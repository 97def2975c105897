import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { executePrepared } from '../db/reusableQuery';

export interface DeviceContact {
	deviceId: string;
	at: Date;
	label?: string | null;
}

/**
 * Marks devices as seen (and, after a pull, synced) in one statement whatever their number,
 * for the group commits of pulls and pushes. The rows are locked in id order
 * (carnet_touch_devices, migration 0004), so that two processes flushing at once never wait on
 * each other in opposite orders.
 */
export async function touchDevices(tx: Executor, rows: readonly DeviceContact[], options: { synced: boolean }): Promise<void> {
	if (rows.length === 0) return;
	await executePrepared(tx, sql`select carnet_touch_devices(${deviceParams(rows)}, ${options.synced})`);
}

/** The devices as carnet_touch_devices and carnet_record_pulls take them: one parameter, a JSON array. */
export function deviceParams(rows: readonly DeviceContact[]): SQL {
	return sql`${JSON.stringify(rows.map((r) => ({ id: r.deviceId, at: r.at.toISOString(), label: r.label ?? null })))}::jsonb`;
}
