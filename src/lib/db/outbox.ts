import type { Mutation } from '$lib/shared/sync';
import type { RecordFailure } from './quarantine';
import { openRows, sealValue } from './sealedTable';
import { requireDb } from './session';
import { outboxTable } from './tables';
import { guardWrite } from './writeGuard';

/**
 * Queues a mutation for sync.push, encrypted, after every earlier one.
 *
 * @param options.caseId the case it touches, so a revocation can drop it (null if unknown).
 * @param options.removeDraftId a draft that this mutation submits: deleted in the same transaction,
 *   so the text is never in neither place nor in both.
 */
export async function enqueueMutation(
	mutation: Mutation,
	options: { caseId: string | null; removeDraftId?: string }
): Promise<void> {
	const db = requireDb();
	const row = await sealValue(outboxTable, { caseId: options.caseId, mutation });
	await guardWrite(() =>
		db.transaction('rw', [db.outbox, db.drafts], async () => {
			await db.outbox.add(row);
			if (options.removeDraftId) await db.drafts.delete(options.removeDraftId);
		})
	);
}

/** Queued mutations, oldest first. */
export async function listOutbox(): Promise<{ items: OutboxItem[]; failures: RecordFailure[] }> {
	const rows = await requireDb().outbox.orderBy('seq').toArray();
	const opened = await openRows(outboxTable, rows);
	const seqById = new Map(rows.map((row) => [row.id, row.seq ?? 0]));
	return {
		items: opened.items.map((v) => ({ seq: seqById.get(v.mutation.id) ?? 0, caseId: v.caseId, mutation: v.mutation })),
		failures: opened.failures
	};
}

/** Removes mutations the server has answered (by mutation id). */
export async function removeFromOutbox(mutationIds: string[]): Promise<void> {
	const db = requireDb();
	await db.transaction('rw', [db.outbox], () => db.outbox.where('id').anyOf(mutationIds).delete());
}

/** How many mutations wait, without decrypting (works while locked: logout checks it). */
export async function countOutbox(): Promise<number> {
	return requireDb().outbox.count();
}

export type OutboxItem = { seq: number; caseId: string | null; mutation: Mutation };
