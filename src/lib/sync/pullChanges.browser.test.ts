import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createKeyring, getMeta, listCaseload, listNotes, listQuarantine } from '$lib/db';
import type { CaseRecord, NoteRecord, PersonRecord, VisitRecord } from '$lib/shared/records';
import type { PackedRecord, PullInput, PullOutput } from '$lib/shared/sync';
import type { FramedRecords } from '$lib/shared/pullFrame';
import { PASSWORD, TEST_KDF_PARAMS, deleteAllDatabases, makeCaseload, openFreshStore } from '$lib/db/testing/fixtures';
import { dumpRawStorage } from '$lib/db/testing/rawStorage';
import { pageDefaults } from '$lib/shared/testing/pullPages';

/**
 * sync.pull, answered by the test: each call takes the next scripted page (written in the
 * packed form), which goes through the real binary frame, encoded and decoded, as from
 * POST /sync/pull.
 */
const pull = vi.hoisted(() => ({ pages: [] as ((input: PullInput) => PullOutput | Promise<PullOutput>)[], inputs: [] as PullInput[] }));
vi.mock('$lib/api/pullPage', async () => {
	const { decodePullFrame, encodePullFrame } = await import('$lib/shared/pullFrame');
	const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
	return {
		pullPage: async (input: PullInput) => {
			pull.inputs.push(input);
			const answer = pull.pages.shift();
			if (!answer) throw new Error('no page left');
			const page = await answer(input);
			if (page.wipe) return decodePullFrame(encodePullFrame(page));
			const packed = page.packed!;
			const framed = Object.fromEntries(
				(['cases', 'persons', 'notes', 'visits'] as const).map((t) => [t, packed[t].map((r) => ({ ...r, json: bytes(r.json) }))])
			) as FramedRecords;
			return decodePullFrame(encodePullFrame({ ...page, packed: framed }));
		}
	};
});
vi.mock('$lib/api/client', () => ({
	api: { sync: { acknowledgeWipe: { mutate: async () => ({ acknowledged: true }) } } }
}));

const { pullChanges } = await import('./pullChanges');

const utf8 = new TextEncoder();
const pack = (record: { id: string; caseId?: string; version: number }): PackedRecord => ({
	id: record.id,
	caseId: record.caseId ?? record.id,
	version: record.version,
	json: btoa(String.fromCharCode(...utf8.encode(JSON.stringify(record))))
});

type Records = { cases: CaseRecord[]; persons: PersonRecord[]; notes: NoteRecord[]; visits: VisitRecord[] };

/** A page in the packed form the server sends when asked (`packed: true`). */
function packedPage(records: Records, cursor: string, hasMore: boolean, extra: Partial<Extract<PullOutput, { wipe: false }>> = {}): PullOutput {
	return {
		...pageDefaults(),
		cursor,
		hasMore,
		packed: { cases: records.cases.map(pack), persons: records.persons.map(pack), notes: records.notes.map(pack), visits: records.visits.map(pack) },
		...extra
	};
}

/** The caseload split in one page per case. */
function pagesOf(caseload: Records): Records[] {
	return caseload.cases.map((c) => ({
		cases: [c],
		persons: caseload.persons.filter((p) => p.caseId === c.id),
		notes: caseload.notes.filter((n) => n.caseId === c.id),
		visits: caseload.visits.filter((v) => v.caseId === c.id)
	}));
}

beforeEach(async () => {
	await deleteAllDatabases();
	await openFreshStore();
	await createKeyring(PASSWORD, { kdfParams: TEST_KDF_PARAMS });
	pull.pages = [];
	pull.inputs = [];
});

afterEach(deleteAllDatabases);

test('packed pages are stored encrypted and open to the very records sent; the cursor ends at the last page', async () => {
	const caseload = makeCaseload();
	const pages = pagesOf(caseload);
	pull.pages = pages.map((records, i) => () => packedPage(records, String(100 + i), i < pages.length - 1));
	const progress: number[] = [];
	const result = await pullChanges(crypto.randomUUID(), (p) => progress.push(p.records));

	expect(result.records).toBe(caseload.cases.length + caseload.persons.length + caseload.notes.length + caseload.visits.length);
	expect(progress.at(-1)).toBe(result.records);
	// One request per page, through the binary frame (which is always packed: the input does not
	// say), each listing the cases received so far.
	expect(pull.inputs).toHaveLength(pages.length);
	expect(pull.inputs.every((input) => !('packed' in input))).toBe(true);
	expect(pull.inputs.map((input) => input.heldCaseIds.length)).toEqual([0, 1, 2]);
	expect(await getMeta('cursor')).toBe('102');

	const { items, failures } = await listCaseload();
	expect(failures).toEqual([]);
	const byId = new Map(items.map((item) => [item.case.id, item]));
	for (const record of caseload.cases) {
		expect(byId.get(record.id)?.case).toEqual(record);
		expect(byId.get(record.id)?.persons).toEqual(expect.arrayContaining(caseload.persons.filter((p) => p.caseId === record.id)));
		expect(byId.get(record.id)?.visits).toEqual(caseload.visits.filter((v) => v.caseId === record.id));
	}
	expect((await listNotes()).items).toEqual(expect.arrayContaining(caseload.notes));
	expect(await listQuarantine()).toEqual([]);

	// Nothing personal in clear anywhere in the browser's storage.
	const raw = (await dumpRawStorage()).join('\n');
	for (const secret of caseload.secrets) expect(raw).not.toContain(secret);
});

test('a packed record that is not what it claims is stored as sent, then quarantined when opened, never shown', async () => {
	const caseload = makeCaseload();
	const pages = pagesOf(caseload);
	const broken = packedPage(pages[1], '101', true);
	// A record whose JSON is not a case: it is encrypted as received, and refused when opened.
	if (!broken.wipe) broken.packed!.cases[0].json = btoa('{"id":"not a case"}');
	pull.pages = [() => packedPage(pages[0], '100', true), () => broken, () => packedPage(pages[2], '102', false)];
	await pullChanges(crypto.randomUUID());
	const { items, failures } = await listCaseload();
	expect(items.map((item) => item.case.id).sort()).toEqual([caseload.cases[0].id, caseload.cases[2].id].sort());
	expect(failures.map((f) => f.reason)).toEqual(['invalid']);
});

test('a failure to fetch a page keeps what the earlier pages stored, and their cursor', async () => {
	const caseload = makeCaseload();
	const pages = pagesOf(caseload);
	pull.pages = [() => packedPage(pages[0], '100', true), () => Promise.reject(new Error('network'))];
	await expect(pullChanges(crypto.randomUUID())).rejects.toThrow('network');
	expect(await getMeta('cursor')).toBe('100');
	expect((await listCaseload()).items.map((item) => item.case)).toEqual([caseload.cases[0]]);
});

test('revocations and tombstones still go in order, after the page before them is stored', async () => {
	const caseload = makeCaseload();
	const pages = pagesOf(caseload);
	const [first, second] = caseload.cases;
	pull.pages = [
		() => packedPage(pages[0], '100', true),
		() => packedPage(pages[1], '101', true),
		(input) => {
			// The held set names both cases received so far.
			expect([...input.heldCaseIds].sort()).toEqual([first.id, second.id].sort());
			return packedPage(pages[2], '103', false, { revokedCaseIds: [first.id], tombstones: [{ entity: 'note', id: pages[1].notes[0].id, caseId: second.id, version: 102 }] });
		}
	];
	const result = await pullChanges(crypto.randomUUID());
	expect(result.revokedCaseIds).toEqual([first.id]);
	expect(result.changed).toBe(true);
	expect((await listCaseload()).items.map((item) => item.case.id).sort()).toEqual([second.id, caseload.cases[2].id].sort());
	expect((await listNotes()).items.map((n) => n.id)).not.toContain(pages[1].notes[0].id);
	expect(await getMeta('cursor')).toBe('103');
});

test('a pull says whether the caseload changed: not for an empty page, yes for a tombstone alone or a revocation alone', async () => {
	const caseload = makeCaseload();
	const [page] = pagesOf(caseload);
	const none = { cases: [], persons: [], notes: [], visits: [] };
	pull.pages = [() => packedPage(page, '100', false)];
	const deviceId = crypto.randomUUID();
	expect(await pullChanges(deviceId)).toMatchObject({ records: 6, changed: true });
	pull.pages = [() => packedPage(none, '100', false)];
	expect(await pullChanges(deviceId)).toMatchObject({ records: 0, changed: false });
	pull.pages = [() => packedPage(none, '101', false, { tombstones: [{ entity: 'note', id: page.notes[0].id, caseId: page.cases[0].id, version: 101 }] })];
	expect(await pullChanges(deviceId)).toMatchObject({ records: 0, changed: true });
	expect((await listNotes()).items.map((n) => n.id)).not.toContain(page.notes[0].id);
	pull.pages = [() => packedPage(none, '101', false, { revokedCaseIds: [page.cases[0].id] })];
	expect(await pullChanges(deviceId)).toMatchObject({ records: 0, changed: true, revokedCaseIds: [page.cases[0].id] });
	expect((await listCaseload()).items).toEqual([]);
});

test('the journal secret of a first page is stored in the same transaction as its records; a malformed one stores nothing', async () => {
	const caseload = makeCaseload();
	const [first, ...rest] = pagesOf(caseload);
	const secret = 'AB'.repeat(32);
	pull.pages = [() => packedPage(first, '100', false, { journalSecret: secret })];
	await pullChanges(crypto.randomUUID());
	expect(await getMeta('journalSecret')).toBe(secret.toLowerCase());
	expect(await getMeta('cursor')).toBe('100');

	await deleteAllDatabases();
	await openFreshStore();
	await createKeyring(PASSWORD, { kdfParams: TEST_KDF_PARAMS });
	pull.pages = [() => packedPage(rest[0], '101', false, { journalSecret: 'not hex' })];
	await expect(pullChanges(crypto.randomUUID())).rejects.toMatchObject({ code: 'invalid-input' });
	expect(await getMeta('journalSecret')).toBeUndefined();
	expect(await getMeta('cursor')).toBeUndefined();
	expect((await listCaseload()).items).toEqual([]);
});
