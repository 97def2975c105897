import { afterEach, beforeEach, expect, test } from 'vitest';
import { createHMAC, createSHA256 } from 'hash-wasm';
import { createKeyring, getMeta, lockKeyring, storeNameFor, unlockKeyring } from '$lib/db';
import { PASSWORD, TEST_KDF_PARAMS, deleteAllDatabases, openFreshStore } from '$lib/db/testing/fixtures';
import { dumpRawStorage, tamperRow } from '$lib/db/testing/rawStorage';
import { JOURNAL_GENESIS_MAC, journalEntrySchema, journalMacMessage, type JournalEntry } from '$lib/shared/sync';
import {
	JournalError,
	acknowledgeJournal,
	appendJournalEntry,
	listPendingJournalEntries,
	setJournalSecret
} from '$lib/journal';

const SECRET = '5e'.repeat(8) + 'c0ffee00'.repeat(6);
let dbName: string;

beforeEach(async () => {
	await deleteAllDatabases();
	dbName = await storeNameFor(await openFreshStore());
	await createKeyring(PASSWORD, { kdfParams: TEST_KDF_PARAMS });
});

afterEach(deleteAllDatabases);

/** HMAC-SHA256 from hash-wasm, independent of WebCrypto and of $lib/crypto. */
async function referenceMac(prevMac: string, entry: Omit<JournalEntry, 'mac'>): Promise<string> {
	const key = new Uint8Array(SECRET.match(/../g)!.map((h) => parseInt(h, 16)));
	const hmac = await createHMAC(createSHA256(), key);
	hmac.init();
	hmac.update(journalMacMessage(prevMac, entry));
	return hmac.digest('hex');
}

async function appendSome(count: number, caseId = crypto.randomUUID()) {
	const out: JournalEntry[] = [];
	for (let i = 0; i < count; i++) {
		out.push(
			await appendJournalEntry({
				caseId,
				noteId: i % 2 ? crypto.randomUUID() : null,
				action: i % 2 ? 'note.view' : 'case.view',
				offline: i % 3 === 0
			})
		);
	}
	return out;
}

test('without the server secret, nothing can be journaled', async () => {
	const error = await appendJournalEntry({ caseId: crypto.randomUUID(), action: 'case.view', offline: true }).catch((e) => e);
	expect(error).toBeInstanceOf(JournalError);
	expect(error.code).toBe('no-secret');
	await expect(setJournalSecret('not hex')).rejects.toMatchObject({ code: 'invalid-input' });
});

test('entries get seq 1..n and MACs chained from the genesis, as an independent HMAC computes them', async () => {
	await setJournalSecret(SECRET);
	const appended = await appendSome(6);
	const { items, failures } = await listPendingJournalEntries();
	expect(failures).toEqual([]);
	expect(items).toEqual(appended);
	expect(items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
	let prev = JOURNAL_GENESIS_MAC;
	for (const entry of items) {
		expect(journalEntrySchema.parse(entry)).toEqual(entry);
		const { mac, ...unsigned } = entry;
		expect(mac).toBe(await referenceMac(prev, unsigned));
		prev = mac;
	}
});

test('concurrent appends do not fork the chain', async () => {
	await setJournalSecret(SECRET);
	const caseId = crypto.randomUUID();
	await Promise.all(Array.from({ length: 8 }, () => appendJournalEntry({ caseId, action: 'search', offline: false })));
	const { items } = await listPendingJournalEntries();
	expect(items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
	let prev = JOURNAL_GENESIS_MAC;
	for (const { mac, ...unsigned } of items) {
		expect(mac).toBe(await referenceMac(prev, unsigned));
		prev = mac;
	}
});

test('acknowledgement deletes exactly the entries up to ackSeq; the chain continues after it and after a relock', async () => {
	await setJournalSecret(SECRET);
	const first = await appendSome(5);
	expect(await acknowledgeJournal(3)).toBe(3);
	expect((await listPendingJournalEntries()).items.map((e) => e.seq)).toEqual([4, 5]);
	expect(await acknowledgeJournal(0)).toBe(0);
	expect(await acknowledgeJournal(3)).toBe(0);

	lockKeyring();
	await expect(appendJournalEntry({ caseId: crypto.randomUUID(), action: 'export', offline: true })).rejects.toMatchObject({
		code: 'locked'
	});
	await unlockKeyring(PASSWORD);
	const [sixth] = await appendSome(1);
	expect(sixth.seq).toBe(6);
	const { mac, ...unsigned } = sixth;
	expect(mac).toBe(await referenceMac(first[4].mac, unsigned));
	expect(await getMeta('journalHead')).toEqual({ seq: 6, mac: sixth.mac });

	expect(await acknowledgeJournal(5)).toBe(2);
	expect((await listPendingJournalEntries()).items.map((e) => e.seq)).toEqual([6]);
});

test('entries and the secret are encrypted at rest; a tampered entry is withheld and reported', async () => {
	await setJournalSecret(SECRET);
	const caseId = crypto.randomUUID();
	const entries = await appendSome(3, caseId);
	const raw = (await dumpRawStorage()).join('\n');
	expect(raw).not.toContain(SECRET);
	expect(raw).not.toContain(caseId);
	for (const entry of entries) expect(raw).not.toContain(entry.mac);

	await tamperRow(dbName, 'journal', 2, (row) => ({ ...row, ct: new Uint8Array((row.ct as Uint8Array).length) }));
	const { items, failures } = await listPendingJournalEntries();
	expect(items.map((e) => e.seq)).toEqual([1, 3]);
	expect(failures).toEqual([{ table: 'journal', rowId: '2', reason: 'decrypt-failure' }]);
});

test('listPendingJournalEntries honours a limit, oldest first', async () => {
	await setJournalSecret(SECRET);
	await appendSome(4);
	expect((await listPendingJournalEntries({ limit: 2 })).items.map((e) => e.seq)).toEqual([1, 2]);
});
