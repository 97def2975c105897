import { hmacHex } from '$lib/crypto';
import { getMeta } from '$lib/db';
import { metaRow } from '$lib/db/meta';
import { sealValue } from '$lib/db/sealedTable';
import { requireDb } from '$lib/db/session';
import { journalTable } from '$lib/db/tables';
import { guardWrite } from '$lib/db/writeGuard';
import type { JournalAction } from '$lib/shared/domain';
import { JOURNAL_GENESIS_MAC, journalMacMessage, type JournalEntry } from '$lib/shared/sync';
import { journalKey } from './journalKey';

/**
 * Records that decrypted case data was shown. Assigns the next seq, the time, and the MAC
 * chained from the previous entry, then stores the entry (encrypted) and the new chain head in
 * one transaction. Appends are serialised across tabs, so two tabs never fork the chain.
 */
export async function appendJournalEntry(input: {
	caseId: string;
	noteId?: string | null;
	action: JournalAction;
	offline: boolean;
}): Promise<JournalEntry> {
	const db = requireDb();
	return serialise(`${db.name}:journal`, async () => {
		const key = await journalKey();
		const head = (await getMeta('journalHead')) ?? { seq: 0, mac: JOURNAL_GENESIS_MAC };
		const unsigned = {
			seq: head.seq + 1,
			at: new Date().toISOString(),
			caseId: input.caseId,
			noteId: input.noteId ?? null,
			action: input.action,
			offline: input.offline
		};
		const entry: JournalEntry = { ...unsigned, mac: await hmacHex(key, journalMacMessage(head.mac, unsigned)) };
		const [row, headRow] = await Promise.all([
			sealValue(journalTable, entry),
			metaRow('journalHead', { seq: entry.seq, mac: entry.mac })
		]);
		await guardWrite(() =>
			db.transaction('rw', [db.journal, db.meta], async () => {
				await db.journal.add(row);
				await db.meta.put(headRow);
			})
		);
		return entry;
	});
}

let tail: Promise<unknown> = Promise.resolve();

/** Web Locks across tabs when available, else a promise chain within this tab. */
function serialise<T>(name: string, task: () => Promise<T>): Promise<T> {
	if (typeof navigator !== 'undefined' && navigator.locks) {
		return navigator.locks.request(name, task) as unknown as Promise<T>;
	}
	const run = tail.then(task, task);
	tail = run.catch(() => undefined);
	return run;
}
