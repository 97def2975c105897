import { api } from '$lib/api/client';
import { acknowledgeJournal, listPendingJournalEntries } from '$lib/journal';
import { limits } from '$lib/shared/domain';

/**
 * Sends the offline access journal; entries are deleted only once the server acknowledges
 * them (everything up to `ackSeq`). Returns the incidents the server raised, if any.
 */
export async function pushJournal(deviceId: string): Promise<{ sent: number; incidents: string[] }> {
	let sent = 0;
	const incidents: string[] = [];
	for (let round = 0; round < 1_000; round++) {
		const { items } = await listPendingJournalEntries({ limit: limits.journalMaxEntries });
		if (items.length === 0) break;
		const response = await api.sync.journal.mutate({ deviceId, entries: items });
		incidents.push(...response.incidents);
		const removed = await acknowledgeJournal(response.ackSeq);
		sent += removed;
		if (removed === 0) break;
	}
	return { sent, incidents };
}
