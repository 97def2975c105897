import type { CaseRecord, NoteRecord, PersonRecord, VisitRecord } from '$lib/shared/records';
import type { PackedRecord, PackedRecords } from '$lib/shared/sync';
import type { FramedRecord, FramedRecords } from '$lib/shared/pullFrame';
import { base64ToBytes } from '$lib/crypto';
import type { CaseChildRow, CaseRow, MetaRow } from './CarnetDb';
import { metaRow, type MetaKey, type MetaValues } from './meta';
import { sealJsonValues, sealValues, type SealedTable } from './sealedTable';
import { requireDb } from './session';
import { notesMigrated, sealNotes, sealReceivedNotes, writeNotes, type NoteWrite } from './notePacks';
import { casesTable, personsTable, visitsTable } from './tables';
import { guardWrite } from './writeGuard';

/**
 * Stores records received from sync.pull, encrypted, replacing rows with the same id.
 * Each call is one transaction: all rows are written or none (`StoreError('quota')`).
 */
export const putCases = (records: CaseRecord[]) => putSealed(casesTable, records);
export const putPersons = (records: PersonRecord[]) => putSealed(personsTable, records);
/** Notes are sealed in packs (`notePacks.ts`): a note written again leaves its old pack. */
export const putNotes = (records: NoteRecord[]) => putPullPage({ cases: [], persons: [], notes: records, visits: [] });
export const putVisits = (records: VisitRecord[]) => putSealed(visitsTable, records);

type PullPage = {
	cases: CaseRecord[];
	persons: PersonRecord[];
	notes: NoteRecord[];
	visits: VisitRecord[];
	/**
	 * sync.pull's packed form, each record's JSON in base64 (tRPC) or as bytes (a binary frame,
	 * src/lib/shared/pullFrame.ts): then the four arrays above are ignored.
	 */
	packed?: PackedRecords | FramedRecords;
};

/** A pull page encrypted, ready for `writeSealedPage`. Holds no plaintext. */
export type SealedPage = {
	cases: CaseRow[];
	persons: CaseChildRow[];
	notes: NoteWrite;
	visits: CaseChildRow[];
	meta: MetaRow[];
};

/**
 * One pull page at once: every table in a single transaction, with the meta values given (the
 * sync cursor and policy: they then advance with the records, or not at all).
 */
export async function putPullPage(page: PullPage, meta: Partial<MetaValues> = {}): Promise<void> {
	await writeSealedPage(await sealPullPage(page, meta));
}

/**
 * The encryption half of `putPullPage`: no IndexedDB work, so that a sync can encrypt the next
 * page while the previous one is being written.
 */
export async function sealPullPage(page: PullPage, meta: Partial<MetaValues> = {}): Promise<SealedPage> {
	const metaRows = Promise.all(Object.entries(meta).map(([key, value]) => metaRow(key as MetaKey, value as never)));
	if (page.packed) {
		const { cases, persons, notes, visits } = page.packed;
		type Received = PackedRecord | FramedRecord;
		const caseIndex = (r: Received) => ({ id: r.id, version: r.version });
		const childIndex = (r: Received) => ({ id: r.id, caseId: r.caseId, version: r.version });
		const json = (r: Received) => (typeof r.json === 'string' ? base64ToBytes(r.json) : r.json);
		const [caseRows, personRows, noteRows, visitRows] = await Promise.all([
			sealJsonValues(casesTable, (cases as Received[]).map((r) => ({ index: caseIndex(r), json: json(r) }))),
			sealJsonValues(personsTable, (persons as Received[]).map((r) => ({ index: childIndex(r), json: json(r) }))),
			sealReceivedNotes((notes as Received[]).map((r) => ({ id: r.id, caseId: r.caseId, version: r.version, json: json(r) }))),
			sealJsonValues(visitsTable, (visits as Received[]).map((r) => ({ index: childIndex(r), json: json(r) })))
		]);
		return { cases: caseRows, persons: personRows, notes: noteRows, visits: visitRows, meta: await metaRows };
	}
	const [cases, persons, notes, visits] = await Promise.all([
		sealValues(casesTable, page.cases),
		sealValues(personsTable, page.persons),
		sealNotes(page.notes),
		sealValues(visitsTable, page.visits)
	]);
	return { cases, persons, notes, visits, meta: await metaRows };
}

/**
 * The IndexedDB half of `putPullPage`: one transaction, all rows or none. If the notes' packs
 * changed since it was prepared, nothing is written and the page is written again (`writeNotes`).
 */
export async function writeSealedPage(page: SealedPage): Promise<void> {
	const db = requireDb();
	await notesMigrated();
	await writeNotes(page.notes, (applyNotes) =>
		guardWrite(() =>
			db.transaction('rw', [db.cases, db.persons, db.notePacks, db.visits, db.meta], async () => {
				// First: when it refuses, nothing else of the page may be written.
				if (!(await applyNotes())) return false;
				await db.cases.bulkPut(page.cases);
				await db.persons.bulkPut(page.persons);
				await db.visits.bulkPut(page.visits);
				if (page.meta.length > 0) await db.meta.bulkPut(page.meta);
				return true;
			})
		)
	);
}

async function putSealed<T, Index extends Record<string, unknown>>(spec: SealedTable<T, Index>, records: T[]) {
	if (records.length === 0) return;
	const db = requireDb();
	// Encrypt first: an IndexedDB transaction commits as soon as it waits on anything else.
	const rows = await sealValues(spec, records);
	const table = db.table(spec.table);
	await guardWrite(() => db.transaction('rw', [table], () => table.bulkPut(rows)));
}
