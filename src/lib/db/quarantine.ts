import type { SealedFields } from './CarnetDb';
import { forgetOpenedValues, sameBytes } from './openedValues';
import type { SealedTable } from './sealedTable';
import { requireDb } from './session';

/**
 * Rows that failed to open are moved aside, so they are never shown and never fail again,
 * and reported: to the caller (`failures`) and to listeners (a banner in the UI).
 */

const listeners = new Set<(failures: RecordFailure[]) => void>();

/** Subscribes to newly quarantined rows; returns the unsubscribe function. */
export function onQuarantine(listener: (failures: RecordFailure[]) => void): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

export async function quarantineRows<T, Index extends Record<string, unknown>>(
	spec: SealedTable<T, Index>,
	failed: { row: Index & SealedFields; reason: QuarantineReason }[]
): Promise<RecordFailure[]> {
	const db = requireDb();
	const table = db.table(spec.table);
	const at = new Date().toISOString();
	const failures: RecordFailure[] = [];
	forgetOpenedValues();
	// `meta` for `spec.rowsRemoved` (a set: the failed rows may be meta's own).
	await db.transaction('rw', [...new Set([spec.table, 'quarantine', 'meta'])], async () => {
		for (const { row, reason } of failed) {
			const primaryKey = spec.primaryKey(row);
			const current = (await table.get(primaryKey)) as SealedFields | undefined;
			// Rewritten meanwhile by a sync: the new row is not the one that failed.
			if (current && !sameBytes(current.iv, row.iv)) continue;
			const rowId = String(primaryKey);
			await db.quarantine.put({ key: `${spec.table}:${rowId}`, table: spec.table, rowId, reason, at, row });
			await table.delete(primaryKey);
			const reported = reportedAs(spec, row);
			failures.push(...(reported.length ? reported : [{ table: spec.table, rowId }]).map((r) => ({ ...r, reason })));
		}
		if (failures.length > 0) await spec.rowsRemoved?.();
	});
	if (failures.length) for (const listener of listeners) listener(failures);
	return failures;
}

/** `spec.reportAs` of a row whose clear fields may themselves be damaged. */
function reportedAs<T, Index extends Record<string, unknown>>(spec: SealedTable<T, Index>, row: Index): { table: string; rowId: string }[] {
	try {
		return spec.reportAs?.(row) ?? [];
	} catch {
		return [];
	}
}

/** What was quarantined so far (without the ciphertext). */
export async function listQuarantine(): Promise<(RecordFailure & { at: string })[]> {
	const rows = await requireDb().quarantine.toArray();
	return rows.map(({ table, rowId, reason, at }) => ({ table, rowId, reason: reason as QuarantineReason, at }));
}

/**
 * - `decrypt-failure`: altered, or moved from another row or table.
 * - `invalid`: authentic but not the expected shape (a bug, or an unknown schema version).
 * - `index-mismatch`: the clear fields disagree with the content (an old envelope replayed
 *   under newer metadata, or a row re-labelled).
 */
export type QuarantineReason = 'decrypt-failure' | 'invalid' | 'index-mismatch';

export type RecordFailure = { table: string; rowId: string; reason: QuarantineReason };
