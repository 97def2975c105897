import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
	deleteCases,
	listCaseload,
	listNotes,
	lockKeyring,
	putNotes,
	unlockKeyring
} from '$lib/db';
import { openedValueCount } from './openedValues';
import { PASSWORD, deleteAllDatabases, openStoreWithCaseload, type Caseload } from './testing/fixtures';

let caseload: Caseload;

/** Counts real WebCrypto decryptions by table (the additional data starts with `table|`). */
const decrypted = new Map<string, number>();
const originalDecrypt = SubtleCrypto.prototype.decrypt;

beforeEach(async () => {
	({ caseload } = await openStoreWithCaseload());
	SubtleCrypto.prototype.decrypt = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['decrypt']>) {
		const algorithm = args[0] as AesGcmParams;
		const aad = algorithm.additionalData ? new TextDecoder().decode(algorithm.additionalData as Uint8Array) : '';
		const table = aad.split('|')[0];
		decrypted.set(table, (decrypted.get(table) ?? 0) + 1);
		return originalDecrypt.apply(this, args);
	} as SubtleCrypto['decrypt'];
	decrypted.clear();
});

afterEach(async () => {
	SubtleCrypto.prototype.decrypt = originalDecrypt;
	await deleteAllDatabases();
});

/** Notes are sealed in packs, one per case in this caseload (db/notePacks.ts). */
const packsDecrypted = () => decrypted.get('notePacks') ?? 0;

describe('a row opened once is not decrypted again while it is unchanged', () => {
	test('a second listing decrypts nothing and gives the same notes', async () => {
		const first = await listNotes();
		expect(packsDecrypted()).toBe(caseload.cases.length);
		const second = await listNotes();
		expect(packsDecrypted()).toBe(caseload.cases.length);
		expect(second.items).toEqual(first.items);
		expect(second.items.map((n) => n.body).sort()).toEqual(caseload.notes.map((n) => n.body).sort());
		// The caseload's own tables too.
		await listCaseload();
		decrypted.clear();
		await listCaseload();
		expect([...decrypted.values()].reduce((a, b) => a + b, 0)).toBe(0);
	});

	test('only the packs a synced note change rewrote are decrypted again, and the note read in its new version', async () => {
		await listNotes();
		const changed = caseload.notes[1];
		await putNotes([{ ...changed, body: 'Version corrigée après la synchronisation.', version: changed.version + 1 }]);
		decrypted.clear();
		const { items } = await listNotes();
		// The changed note's new pack, and its old pack-mate's (sealed again without it).
		expect(packsDecrypted()).toBe(2);
		expect(items.find((n) => n.id === changed.id)?.body).toBe('Version corrigée après la synchronisation.');
		expect(items).toHaveLength(caseload.notes.length);
	});

	test('the values given are frozen: one caller cannot change what the next one reads', async () => {
		const { items } = await listNotes();
		const body = items[0].body;
		expect(() => {
			(items[0] as { body: string | null }).body = 'réécrit';
		}).toThrow(TypeError);
		expect((await listNotes()).items.find((n) => n.id === items[0].id)?.body).toBe(body);
	});
});

describe('opened values leave memory with the key and with the rows', () => {
	test('locking forgets them all; once unlocked, every note is decrypted again', async () => {
		await listNotes();
		await listCaseload();
		expect(openedValueCount()).toBe(caseload.cases.length /* packs */ + caseload.cases.length + caseload.persons.length + caseload.visits.length);
		lockKeyring();
		expect(openedValueCount()).toBe(0);
		await expect(listNotes()).rejects.toMatchObject({ code: 'locked' });
		await unlockKeyring(PASSWORD);
		decrypted.clear();
		await listNotes();
		expect(packsDecrypted()).toBe(caseload.cases.length);
	});

	test('a note changed by a sync takes its old pack out of memory', async () => {
		await listNotes();
		expect(openedValueCount()).toBe(caseload.cases.length);
		const changed = caseload.notes[1];
		await putNotes([{ ...changed, body: 'Nouvelle version.', version: changed.version + 1 }]);
		expect(openedValueCount()).toBe(caseload.cases.length - 1);
	});

	test('a revoked case takes its values out of memory too', async () => {
		await listNotes();
		expect(openedValueCount()).toBe(caseload.cases.length);
		await deleteCases([caseload.cases[0].id]);
		expect(openedValueCount()).toBe(0);
		const { items } = await listNotes();
		expect(items.map((n) => n.caseId)).not.toContain(caseload.cases[0].id);
	});
});
