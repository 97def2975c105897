import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
	StoreError,
	applyTombstones,
	createKeyring,
	deleteCases,
	enqueueMutation,
	getCase,
	getCaseDetail,
	getMeta,
	listCaseload,
	listNotes,
	listDrafts,
	listOutbox,
	listQuarantine,
	lockKeyring,
	onQuarantine,
	openStore,
	putCases,
	putNotes,
	removeFromOutbox,
	saveDraft,
	setMeta,
	storageEstimate,
	storeNameFor,
	unlockKeyring,
	wipeStore,
	countOutbox,
	requestPersistentStorage,
	sealPullPage,
	writeSealedPage,
	type RecordFailure
} from '$lib/db';
import { sealValues } from './sealedTable';
import { CarnetDb } from './CarnetDb';
import { replaceDb, requireDb } from './session';
import { notesTable } from './tables';
import { sealNotes, writeNotes } from './notePacks';
import { appendJournalEntry, setJournalSecret } from '$lib/journal';
import type { Mutation } from '$lib/shared/sync';
import { PASSWORD, TEST_KDF_PARAMS, deleteAllDatabases, openStoreWithCaseload, type Caseload } from './testing/fixtures';
import { dumpRawStorage, packOf, packsOf, putRawRow, readRow, readRows, tamperRow } from './testing/rawStorage';

let userId: string;
let dbName: string;
let caseload: Caseload;

beforeEach(async () => {
	({ userId, caseload } = await openStoreWithCaseload());
	dbName = await storeNameFor(userId);
});

afterEach(deleteAllDatabases);

function noteMutation(caseId: string, body: string): Mutation {
	return {
		id: crypto.randomUUID(),
		type: 'note.create',
		baseVersion: null,
		payload: {
			noteId: crypto.randomUUID(),
			caseId,
			kind: 'observation',
			body,
			sensitiveCategory: null,
			createdOnDeviceAt: new Date().toISOString()
		}
	};
}

describe('nothing personal at rest', () => {
	test('the scanner finds a string stored in clear (so its silence below means something)', async () => {
		localStorage.setItem('canary', 'Zéphyrine');
		expect((await dumpRawStorage()).join('\n')).toContain('Zéphyrine');
		localStorage.removeItem('canary');
	});

	test('no name, birth date, address, note text or case reference anywhere in raw storage', async () => {
		const [firstCase] = caseload.cases;
		const draftBody = 'Brouillon : Zéphyrine évoque un déménagement chez Tante Ombeline.';
		const mutationBody = 'Note hors ligne : rencontre avec Madame Pétronille-Vasseur.';
		await saveDraft({
			id: crypto.randomUUID(),
			caseId: firstCase.id,
			noteId: null,
			visitId: null,
			kind: 'observation',
			body: draftBody,
			sensitiveCategory: null,
			updatedAt: new Date().toISOString()
		});
		await enqueueMutation(noteMutation(firstCase.id, mutationBody), { caseId: firstCase.id });
		await setJournalSecret('ab'.repeat(32));
		await appendJournalEntry({ caseId: firstCase.id, action: 'case.view', offline: true });
		await setMeta('policy', { lockTimeoutSeconds: 300, maxOfflineDays: 7 });
		// A cache as the service worker would keep it, to check the scan covers Cache Storage.
		await (await caches.open('app-shell')).put('/index.html', new Response('<html>Carnet</html>'));

		const raw = (await dumpRawStorage()).join('\n');
		expect(raw).toContain('Carnet'); // the cache was read
		const secrets = [...caseload.secrets, draftBody, mutationBody, 'ab'.repeat(32), userId];
		for (const secret of secrets) expect(raw, `"${secret}" found in raw storage`).not.toContain(secret);
		// Also the parts of compound strings (first or last names of the bodies, etc.).
		for (const word of ['Zéphyrine', 'Quillardet', 'Brizemontagne', 'Ombeline', 'Pétronille', '2014-03-17', 'Cysoing']) {
			expect(raw).not.toContain(word);
		}
		await caches.delete('app-shell');
	});

	test('the database name does not contain the user id, and another user gets another, empty store', async () => {
		const names = (await indexedDB.databases()).map((d) => d.name ?? '');
		expect(names).toContain(dbName);
		expect(dbName).toMatch(/^carnet-[0-9a-f]{32}$/);
		expect(dbName).not.toContain(userId);

		await openStore(crypto.randomUUID());
		await createKeyring('autre mot de passe', { kdfParams: TEST_KDF_PARAMS });
		expect((await listCaseload()).items).toEqual([]);
		await openStore(userId);
		await unlockKeyring(PASSWORD);
		expect((await listCaseload()).items).toHaveLength(3);
	});
});

describe('reading back', () => {
	test('caseload and case detail come back exactly as stored', async () => {
		const { items, failures } = await listCaseload();
		expect(failures).toEqual([]);
		expect(items.map((i) => i.case).sort(byId)).toEqual([...caseload.cases].sort(byId));
		for (const item of items) {
			expect(item.persons).toHaveLength(2);
			expect(item.visits).toHaveLength(1);
			expect(item.noteCount).toBe(2);
		}
		const target = caseload.cases[1];
		const detail = await getCaseDetail(target.id);
		expect(detail?.case).toEqual(target);
		expect(detail?.notes.sort(byId)).toEqual(caseload.notes.filter((n) => n.caseId === target.id).sort(byId));
		expect(detail?.persons.sort(byId)).toEqual(caseload.persons.filter((p) => p.caseId === target.id).sort(byId));
		expect(await getCaseDetail(crypto.randomUUID())).toBeNull();
	});

	test('the caseload list counts notes from the clear index and decrypts none of them', async () => {
		// A pack of notes whose ciphertext no longer opens: listNotes quarantines it, the list does not touch it.
		const note = caseload.notes[0];
		const siblings = caseload.notes.filter((n) => n.caseId === note.caseId);
		const pack = await packOf(dbName, note.id);
		await tamperRow(dbName, 'notePacks', pack.id as string, (row) => ({ ...row, ct: new Uint8Array(row.ct as Uint8Array).reverse() }));
		// Every IndexedDB call that returns values, by object store: the notes' must stay untouched.
		const valueReads: string[] = [];
		const spied = [
			[IDBObjectStore.prototype, ['get', 'getAll', 'openCursor']],
			[IDBIndex.prototype, ['get', 'getAll', 'openCursor']]
		] as const;
		const originals = spied.flatMap(([proto, methods]) => methods.map((m) => [proto, m, (proto as unknown as Record<string, unknown>)[m]] as const));
		for (const [proto, method, original] of originals) {
			(proto as unknown as Record<string, unknown>)[method] = function (this: IDBObjectStore | IDBIndex, ...args: unknown[]) {
				valueReads.push('objectStore' in this ? this.objectStore.name : this.name);
				return (original as (...a: unknown[]) => unknown).apply(this, args);
			};
		}
		let list: Awaited<ReturnType<typeof listCaseload>>;
		try {
			list = await listCaseload();
		} finally {
			for (const [proto, method, original] of originals) (proto as unknown as Record<string, unknown>)[method] = original;
		}
		expect(valueReads).toEqual(expect.arrayContaining(['cases', 'persons', 'visits']));
		expect(valueReads).not.toContain('notePacks');
		expect(list.failures).toEqual([]);
		expect(list.items.find((item) => item.case.id === note.caseId)?.noteCount).toBe(2);
		expect(await listQuarantine()).toEqual([]);

		// Each note of the damaged pack is reported (the UI counts notes); the pack is set aside whole.
		const notes = await listNotes();
		expect(notes.failures.sort(byRowId)).toEqual(siblings.map((n) => ({ table: 'notes', rowId: n.id, reason: 'decrypt-failure' })).sort(byRowId));
		expect(notes.items).toHaveLength(caseload.notes.length - siblings.length);
		expect(await listQuarantine()).toEqual([expect.objectContaining({ table: 'notePacks', rowId: pack.id })]);
		expect((await listCaseload()).items.find((item) => item.case.id === note.caseId)?.noteCount).toBe(0);
	});

	test('while locked, reads and writes are refused with StoreError("locked")', async () => {
		lockKeyring();
		await expect(listCaseload()).rejects.toMatchObject({ code: 'locked' });
		await expect(putCases(caseload.cases)).rejects.toMatchObject({ code: 'locked' });
		await expect(getMeta('policy')).rejects.toMatchObject({ code: 'locked' });
	});
});

// Twice: on rows never opened, and on rows opened before the tampering (their values are then
// held, db/openedValues.ts: a tampered row must still be decrypted again and refused).
for (const openedFirst of [false, true]) {
	describe(`tampering is detected, quarantined and reported; other records keep working${openedFirst ? ' (rows opened before)' : ''}`, () => {
		beforeEach(async () => {
			if (openedFirst) await Promise.all([listCaseload(), listNotes()]);
		});

		test('swapping the ciphertexts of two note packs', async () => {
			const [caseA, caseB] = caseload.cases;
			const notesOf = (caseId: string) => caseload.notes.filter((n) => n.caseId === caseId);
			const [a, b] = [notesOf(caseA.id)[0], notesOf(caseB.id)[0]];
			const packA = await packOf(dbName, a.id);
			const packB = await packOf(dbName, b.id);
			await tamperRow(dbName, 'notePacks', packA.id as string, (row) => ({ ...row, iv: packB.iv, ct: packB.ct }));
			await tamperRow(dbName, 'notePacks', packB.id as string, (row) => ({ ...row, iv: packA.iv, ct: packA.ct }));

			const reported: RecordFailure[] = [];
			const unsubscribe = onQuarantine((failures) => reported.push(...failures));
			const detail = await getCaseDetail(caseA.id);
			const detailB = await getCaseDetail(caseB.id);
			unsubscribe();
			expect(detail?.notes).toEqual([]);
			expect(detailB?.notes).toEqual([]);
			const failed = (notes: typeof caseload.notes) => notes.map((n) => ({ table: 'notes', rowId: n.id, reason: 'decrypt-failure' })).sort(byRowId);
			expect(detail?.failures.sort(byRowId)).toEqual(failed(notesOf(caseA.id)));
			expect(detailB?.failures.sort(byRowId)).toEqual(failed(notesOf(caseB.id)));
			expect(reported.sort(byRowId)).toEqual(failed([...notesOf(caseA.id), ...notesOf(caseB.id)]));
			expect((await listQuarantine()).map((q) => q.rowId).sort()).toEqual([packA.id, packB.id].sort());
			// Moved aside: a second read neither shows nor re-reports them.
			expect((await getCaseDetail(caseA.id))?.failures).toEqual([]);
			// The rest of the case and the other cases are intact.
			expect(detail?.persons).toHaveLength(2);
			const others = await listCaseload();
			expect(others.items).toHaveLength(3);
			expect(others.failures).toEqual([]);
			expect((await getCaseDetail(caseload.cases[2].id))?.notes).toHaveLength(2);
		});

		test('a ciphertext moved to another table is refused', async () => {
			const person = caseload.persons[0];
			const note = caseload.notes[0];
			const personRow = await readRow(dbName, 'persons', person.id);
			const pack = await packOf(dbName, note.id);
			// A person's envelope put back as a pack under the person's id: only the table part of
			// the additional data differs.
			await putRawRow(dbName, 'notePacks', { ...pack, id: person.id, iv: personRow.iv, ct: personRow.ct });
			const detail = await getCaseDetail(note.caseId);
			expect(detail?.failures.map((f) => f.reason)).toEqual(['decrypt-failure', 'decrypt-failure']);
			expect(await listQuarantine()).toEqual([expect.objectContaining({ table: 'notePacks', rowId: person.id })]);
			expect(detail?.persons.map((p) => p.id)).toContain(person.id);
			expect(detail?.notes.map((n) => n.id).sort()).toEqual(caseload.notes.filter((n) => n.caseId === note.caseId).map((n) => n.id).sort());
		});

		for (const field of ['ct', 'iv'] as const) {
			test(`flipping one byte of the ${field}`, async () => {
				const target = caseload.cases[2];
				await tamperRow(dbName, 'cases', target.id, (row) => {
					const bytes = new Uint8Array(row[field] as Uint8Array);
					bytes[bytes.length >> 1] ^= 0x01;
					return { ...row, [field]: bytes };
				});
				expect(await getCase(target.id)).toBeNull();
				expect(await listQuarantine()).toEqual([expect.objectContaining({ table: 'cases', rowId: target.id, reason: 'decrypt-failure' })]);
				const { items } = await listCaseload();
				expect(items.map((i) => i.case.id).sort()).toEqual(caseload.cases.slice(0, 2).map((c) => c.id).sort());
			});
		}

		test('replaying an old envelope of a note under its newer pack', async () => {
			const note = caseload.notes[0];
			const old = await packOf(dbName, note.id);
			await putNotes([{ ...note, body: 'Version corrigée.', version: note.version + 100 }]);
			const fresh = await packOf(dbName, note.id);
			expect(fresh.id).not.toBe(old.id); // a pack is never rewritten in place
			await tamperRow(dbName, 'notePacks', fresh.id as string, (row) => ({ ...row, iv: old.iv, ct: old.ct }));
			const detail = await getCaseDetail(note.caseId);
			expect(detail?.notes.find((n) => n.id === note.id)).toBeUndefined();
			expect(detail?.failures).toEqual([{ table: 'notes', rowId: note.id, reason: 'decrypt-failure' }]);
		});

		test('an old pack put back with its clear refs claiming the newer version', async () => {
			const note = caseload.notes[0];
			const old = await packOf(dbName, note.id);
			await putNotes([{ ...note, body: 'Version corrigée.', version: note.version + 100 }]);
			const claimed = (old.refs as string[]).map((ref) => (ref.startsWith(`${note.id}|`) ? `${note.id}|${note.caseId}|${note.version + 100}` : ref));
			await putRawRow(dbName, 'notePacks', { ...old, refs: claimed });
			const detail = await getCaseDetail(note.caseId);
			expect(detail?.failures.map((f) => f.reason)).toEqual(['index-mismatch', 'index-mismatch']);
			expect(detail?.notes.find((n) => n.id === note.id)?.body).toBe('Version corrigée.');
		});

		test('an old pack put back whole does not bring back the older version of a note', async () => {
			const note = caseload.notes[0];
			const old = await packOf(dbName, note.id);
			await putNotes([{ ...note, body: 'Version corrigée.', version: note.version + 100 }]);
			await putRawRow(dbName, 'notePacks', old);
			expect(await packsOf(dbName, note.id)).toHaveLength(2);
			const detail = await getCaseDetail(note.caseId);
			expect(detail?.failures).toEqual([]);
			expect(detail?.notes.filter((n) => n.id === note.id).map((n) => n.body)).toEqual(['Version corrigée.']);
			expect((await listNotes()).items.filter((n) => n.id === note.id)).toHaveLength(1);
			expect((await listCaseload()).items.find((item) => item.case.id === note.caseId)?.noteCount).toBe(2);
		});

		test('a note pack re-labelled with another case id', async () => {
			const note = caseload.notes[0];
			const otherCase = caseload.cases.find((c) => c.id !== note.caseId)!;
			const pack = await packOf(dbName, note.id);
			await tamperRow(dbName, 'notePacks', pack.id as string, (row) => ({ ...row, caseId: otherCase.id }));
			const detail = await getCaseDetail(otherCase.id);
			expect(detail?.notes.map((n) => n.caseId)).toEqual([otherCase.id, otherCase.id]);
			expect(detail?.failures.map((f) => [f.rowId, f.reason]).sort()).toEqual(
				caseload.notes.filter((n) => n.caseId === note.caseId).map((n) => [n.id, 'index-mismatch']).sort()
			);
		});

		test('re-labelling a row with another case id', async () => {
			const person = caseload.persons[0];
			const otherCase = caseload.cases.find((c) => c.id !== person.caseId)!;
			await tamperRow(dbName, 'persons', person.id, (row) => ({ ...row, caseId: otherCase.id }));
			const detail = await getCaseDetail(otherCase.id);
			expect(detail?.persons.map((p) => p.id)).not.toContain(person.id);
			expect(detail?.failures).toEqual([{ table: 'persons', rowId: person.id, reason: 'index-mismatch' }]);
		});

		test('a tampered outbox entry is quarantined, the others still go out in order', async () => {
			const caseId = caseload.cases[0].id;
			const mutations = [1, 2, 3].map((n) => noteMutation(caseId, `Texte ${n}`));
			for (const m of mutations) await enqueueMutation(m, { caseId });
			const rows = (await listOutbox()).items;
			await tamperRow(dbName, 'outbox', rows[1].seq, (row) => ({ ...row, ct: new Uint8Array(row.ct as Uint8Array).reverse() }));
			const { items, failures } = await listOutbox();
			expect(items.map((i) => i.mutation.id)).toEqual([mutations[0].id, mutations[2].id]);
			expect(failures).toEqual([{ table: 'outbox', rowId: String(rows[1].seq), reason: 'decrypt-failure' }]);
		});
	});
}

describe('writes', () => {
	test('deleteCases removes the case and all its rows, drafts and queued mutations, in one go', async () => {
		const [gone, kept] = caseload.cases;
		await saveDraft({
			id: crypto.randomUUID(),
			caseId: gone.id,
			noteId: null,
			visitId: null,
			kind: 'observation',
			body: 'x',
			sensitiveCategory: null,
			updatedAt: new Date().toISOString()
		});
		await enqueueMutation(noteMutation(gone.id, 'y'), { caseId: gone.id });
		await enqueueMutation(noteMutation(kept.id, 'z'), { caseId: kept.id });
		expect(await deleteCases([gone.id])).toEqual({ droppedDrafts: 1, droppedMutations: 1 });
		expect(await getCaseDetail(gone.id)).toBeNull();
		const raw = (await dumpRawStorage()).join('\n');
		for (const row of [...caseload.persons, ...caseload.notes, ...caseload.visits].filter((r) => r.caseId === gone.id)) {
			expect(raw).not.toContain(row.id);
		}
		expect((await getCaseDetail(kept.id))?.notes).toHaveLength(2);
		expect((await listOutbox()).items.map((i) => i.caseId)).toEqual([kept.id]);
	});

	test('applyTombstones deletes single rows, and whole cases for a case tombstone', async () => {
		const [caseA, caseB] = caseload.cases;
		const note = caseload.notes.find((n) => n.caseId === caseB.id)!;
		await applyTombstones([
			{ entity: 'case', id: caseA.id, caseId: caseA.id, version: 900 },
			{ entity: 'note', id: note.id, caseId: caseB.id, version: 901 }
		]);
		expect(await getCaseDetail(caseA.id)).toBeNull();
		const detail = await getCaseDetail(caseB.id);
		expect(detail?.notes.map((n) => n.id)).toEqual(caseload.notes.filter((n) => n.caseId === caseB.id && n.id !== note.id).map((n) => n.id));
		expect(detail?.persons).toHaveLength(2);
		expect((await listCaseload()).items).toHaveLength(2);
		// Nothing of the deleted note stays: no clear ref names it, its pack was sealed again without it.
		expect(await packsOf(dbName, note.id)).toEqual([]);
		expect((await dumpRawStorage()).join('\n')).not.toContain(note.id);
	});

	test('a note written again leaves its old pack; its pack-mates are sealed again, unchanged', async () => {
		const [note, mate] = caseload.notes.filter((n) => n.caseId === caseload.cases[0].id);
		const old = await packOf(dbName, note.id);
		await putNotes([{ ...note, body: 'Deuxième version.', version: note.version + 1 }]);
		const packs = (await readRows(dbName, 'notePacks')).map((r) => r.row);
		expect(packs.map((p) => p.id)).not.toContain(old.id);
		expect(packs.flatMap((p) => p.refs as string[]).filter((ref) => ref.startsWith(`${note.id}|`))).toEqual([`${note.id}|${note.caseId}|${note.version + 1}`]);
		expect((await packOf(dbName, mate.id)).id).not.toBe((await packOf(dbName, note.id)).id);
		const detail = await getCaseDetail(note.caseId);
		expect(detail?.failures).toEqual([]);
		expect(detail?.notes.sort(byId)).toEqual([{ ...note, body: 'Deuxième version.', version: note.version + 1 }, mate].sort(byId));
		expect((await listNotes()).items).toHaveLength(caseload.notes.length);
	});

	test('a write given the same note twice keeps it once, in its latest version', async () => {
		const note = caseload.notes[0];
		await putNotes([{ ...note, body: 'v+2', version: note.version + 2 }, { ...note, body: 'v+1', version: note.version + 1 }]);
		const { items, failures } = await listNotes();
		expect(failures).toEqual([]);
		expect(items.filter((n) => n.id === note.id).map((n) => n.body)).toEqual(['v+2']);
		expect(await packsOf(dbName, note.id)).toHaveLength(1);
	});

	test('a page sealed before another write moved its notes is prepared again when written: no note twice', async () => {
		const note = caseload.notes[0];
		// Sealed against the store as it is now (the note in its first pack)…
		const sealed = await sealPullPage({ cases: [], persons: [], notes: [{ ...note, body: 'Version A', version: note.version + 1 }], visits: [] });
		// …then another write moves the note to a new pack before the first one is written.
		await putNotes([{ ...note, body: 'Version B', version: note.version + 2 }]);
		await writeSealedPage(sealed);
		expect(await packsOf(dbName, note.id)).toHaveLength(1);
		const notes = (await listNotes()).items.filter((n) => n.id === note.id);
		expect(notes.map((n) => n.body)).toEqual(['Version A']); // the last write wins, as with rows
		expect((await listNotes()).items).toHaveLength(caseload.notes.length);
	});

	test('a note moved by another tab (another connection) is found: the write is prepared again, no note twice', async () => {
		const note = caseload.notes[0];
		const here = requireDb();
		await putNotes([{ ...note, body: 'v+1', version: note.version + 1 }]); // this tab now knows where the note is
		// Another tab: its own connection to the same database, same key, writes the note again.
		const other = new CarnetDb(here.name);
		await other.open();
		replaceDb(other);
		await putNotes([{ ...note, body: 'v+2', version: note.version + 2 }]);
		replaceDb(here);
		other.close();
		await putNotes([{ ...note, body: 'v+3', version: note.version + 3 }]);
		expect(await packsOf(dbName, note.id)).toHaveLength(1);
		expect((await listNotes()).items.filter((n) => n.id === note.id).map((n) => n.body)).toEqual(['v+3']);
	});

	test('a note write that keeps meeting writes of another tab is retried, then refused whole with StoreError("conflict")', async () => {
		const note = caseload.notes[0];
		const db = requireDb();
		const before = await packOf(dbName, note.id);
		// Another tab's write of packs, between this write's preparation and its transaction.
		const otherTabWrites = async () => {
			const row = (await readRows(dbName, 'meta')).find((r) => r.key === 'notePacksGeneration')?.row;
			await putRawRow(dbName, 'meta', { key: 'notePacksGeneration', clear: ((row?.clear as number) ?? 0) + 1 });
		};
		let attempts = 0;
		const write = await sealNotes([{ ...note, body: 'jamais écrit', version: note.version + 1 }]);
		const error = await writeNotes(write, async (apply) => {
			attempts++;
			await otherTabWrites();
			return db.transaction('rw', [db.notePacks, db.meta], apply);
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'conflict' });
		expect(attempts).toBe(5);
		expect(await packOf(dbName, note.id)).toEqual(before); // nothing written
		// Once: prepared again and written.
		attempts = 0;
		await writeNotes(write, async (apply) => {
			if (attempts++ === 0) await otherTabWrites();
			return db.transaction('rw', [db.notePacks, db.meta], apply);
		});
		expect(attempts).toBe(2);
		expect((await listNotes()).items.find((n) => n.id === note.id)?.body).toBe('jamais écrit');
		expect(await packsOf(dbName, note.id)).toHaveLength(1);
	});

	test("a version-1 store's notes (one row each) move into packs at the first read after the upgrade", async () => {
		const db = requireDb();
		const legacyRows = await sealValues(notesTable, caseload.notes);
		await db.transaction('rw', [db.notes, db.notePacks], async () => {
			await db.notePacks.clear();
			await db.notes.bulkPut(legacyRows);
		});
		// A new connection, as after the app's update (the move runs once per connection).
		db.close();
		const upgraded = new CarnetDb(db.name);
		await upgraded.open();
		replaceDb(upgraded);
		const { items, failures } = await listNotes();
		expect(failures).toEqual([]);
		expect(items.sort(byId)).toEqual([...caseload.notes].sort(byId));
		expect(await upgraded.notes.count()).toBe(0);
		expect(await upgraded.notePacks.count()).toBe(caseload.cases.length);
		for (const item of (await listCaseload()).items) expect(item.noteCount).toBe(2);
	});


	test('submitting a draft moves it to the outbox atomically; removeFromOutbox deletes by id', async () => {
		const caseId = caseload.cases[0].id;
		const draftId = crypto.randomUUID();
		await saveDraft({ id: draftId, caseId, noteId: null, visitId: null, kind: 'call', body: 'appel', sensitiveCategory: null, updatedAt: new Date().toISOString() });
		expect((await listDrafts(caseId)).items.map((d) => d.id)).toEqual([draftId]);
		const mutation = noteMutation(caseId, 'appel');
		await enqueueMutation(mutation, { caseId, removeDraftId: draftId });
		expect((await listDrafts()).items).toEqual([]);
		expect((await listOutbox()).items.map((i) => i.mutation)).toEqual([mutation]);
		await removeFromOutbox([mutation.id]);
		expect(await countOutbox()).toBe(0);
	});

	test('a tampered meta value is quarantined and reads as never set', async () => {
		await setMeta('cursor', '1234');
		await tamperRow(dbName, 'meta', 'cursor', (row) => ({ ...row, ct: new Uint8Array(row.ct as Uint8Array).reverse() }));
		expect(await getMeta('cursor')).toBeUndefined();
		expect(await listQuarantine()).toEqual([expect.objectContaining({ table: 'meta', rowId: 'cursor', reason: 'decrypt-failure' })]);
		await setMeta('cursor', '5678');
		expect(await getMeta('cursor')).toBe('5678');
	});

	test('meta values round-trip; failedUnlocks is readable while locked, the others are not', async () => {
		await setMeta('cursor', '1234');
		await setMeta('failedUnlocks', 3);
		expect(await getMeta('cursor')).toBe('1234');
		expect(await getMeta('deviceId')).toBeUndefined();
		lockKeyring();
		expect(await getMeta('failedUnlocks')).toBe(3);
		await expect(getMeta('cursor')).rejects.toMatchObject({ code: 'locked' });
	});

	test('a quota refusal becomes StoreError("quota") and loses nothing already stored', async () => {
		// Chromium ignores CDP quota overrides for this frame, so the refusal is injected where the
		// browser raises it: IDBObjectStore.put, on the third row of a batch, after two succeeded.
		const realPut = IDBObjectStore.prototype.put;
		let calls = 0;
		IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
			if (this.name === 'notePacks' && ++calls === 3) throw new DOMException('Quota exceeded', 'QuotaExceededError');
			return realPut.apply(this, args);
		};
		const batch = caseload.notes.map((note) => ({ ...note, body: 'Nouveau texte', version: note.version + 1 }));
		try {
			const error = await putNotes(batch).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(StoreError);
			expect((error as StoreError).code).toBe('quota');
		} finally {
			IDBObjectStore.prototype.put = realPut;
		}
		expect(calls).toBeGreaterThanOrEqual(3);
		const { items, failures } = await listCaseload();
		expect(failures).toEqual([]);
		expect(items).toHaveLength(3);
		// All or nothing: the two rows written before the refusal were rolled back.
		const notes = (await Promise.all(caseload.cases.map((c) => getCaseDetail(c.id)))).flatMap((d) => d!.notes);
		expect(notes.sort(byId)).toEqual([...caseload.notes].sort(byId));
	});

	test('wipeStore leaves an empty store without keyring', async () => {
		await wipeStore();
		await expect(unlockKeyring(PASSWORD)).rejects.toMatchObject({ code: 'no-keyring' });
		await createKeyring(PASSWORD, { kdfParams: TEST_KDF_PARAMS });
		expect((await listCaseload()).items).toEqual([]);
	});

	test('persistence request and estimate answer', async () => {
		expect(typeof (await requestPersistentStorage())).toBe('boolean');
		const estimate = await storageEstimate();
		expect(estimate!.quota).toBeGreaterThan(0);
	});
});

function byRowId(a: { rowId: string }, b: { rowId: string }) {
	return a.rowId.localeCompare(b.rowId);
}

function byId(a: { id: string }, b: { id: string }) {
	return a.id.localeCompare(b.id);
}
