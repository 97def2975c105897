import { requireDb } from '$lib/db/session';
import { openRows } from '$lib/db/sealedTable';
import { journalTable } from '$lib/db/tables';
import type { RecordFailure } from '$lib/db';
import type { JournalEntry } from '$lib/shared/sync';

/**
 * Entries not yet acknowledged by the server, by increasing seq, to push with sync.journal.
 * A tampered entry is quarantined and reported; the server then sees a gap and raises an incident.
 *
 * @param options.limit at most this many (the server takes 500 per call).
 */
export async function listPendingJournalEntries(
	options: { limit?: number } = {}
): Promise<{ items: JournalEntry[]; failures: RecordFailure[] }> {
	let query = requireDb().journal.orderBy('seq');
	if (options.limit) query = query.limit(options.limit);
	return openRows(journalTable, await query.toArray());
}
