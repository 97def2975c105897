import { requireDb } from '$lib/db/session';

/**
 * Deletes the entries the server has stored (seq ≤ `ackSeq`, from `JournalOutput.ackSeq` or
 * `PullOutput.journalAckSeq`). Later entries stay until their own acknowledgement.
 *
 * @returns how many entries were deleted.
 */
export async function acknowledgeJournal(ackSeq: number): Promise<number> {
	const db = requireDb();
	return db.transaction('rw', [db.journal], () => db.journal.where('seq').belowOrEqual(ackSeq).delete());
}
