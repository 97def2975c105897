import type { CaseRecord, NoteRecord, PersonRecord, VisitRecord } from '$lib/shared/records';
import type { PackedRecords } from '$lib/shared/sync';
import type { MetaRow } from './CarnetDb';
import { metaRow, type MetaKey, type MetaValues } from './meta';
import { sealPackedRecords, type SealedRecords } from './sealPacked';
import { sealValues, type SealedTable } from './sealedTable';
import { requireDataKey, requireDb } from './session';
import { casesTable, notesTable, personsTable, visitsTable } from './tables';
import { guardWrite } from './writeGuard';

/**
 * Stores records received from sync.pull, encrypted, replacing rows with the same id.
 * Each call is one transaction: all rows are written or none (`StoreError('quota')`).
 */
export const putCases = (records: CaseRecord[]) => putSealed(casesTable, records);
export const putPersons = (records: PersonRecord[]) => putSealed(personsTable, records);
export const putNotes = (records: NoteRecord[]) => putSealed(notesTable, records);
export const putVisits = (records: VisitRecord[]) => putSealed(visitsTable, records);

type PullPage = {
	cases: CaseRecord[];
	persons: PersonRecord[];
	notes: NoteRecord[];
	visits: VisitRecord[];
	/** sync.pull's packed form: then the four arrays above are ignored. */
	packed?: PackedRecords;
};

/** A pull page encrypted, ready for `writeSealedPage`. Holds no plaintext. */
export type SealedPage = SealedRecords & { meta: MetaRow[] };

/** A page's records sealed elsewhere (the page-sealing worker) with the meta rows to write with them. */
export async function withMetaRows(records: SealedRecords, meta: Partial<MetaValues> = {}): Promise<SealedPage> {
	return { ...records, meta: await sealMeta(meta) };
}

function sealMeta(meta: Partial<MetaValues>): Promise<MetaRow[]> {
	return Promise.all(Object.entries(meta).map(([key, value]) => metaRow(key as MetaKey, value as never)));
}

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
	const metaRows = sealMeta(meta);
	if (page.packed) return { ...(await sealPackedRecords(requireDataKey(), page.packed)), meta: await metaRows };
	const [cases, persons, notes, visits] = await Promise.all([
		sealValues(casesTable, page.cases),
		sealValues(personsTable, page.persons),
		sealValues(notesTable, page.notes),
		sealValues(visitsTable, page.visits)
	]);
	return { cases, persons, notes, visits, meta: await metaRows };
}

/** The IndexedDB half of `putPullPage`: one transaction, all rows or none. */
export async function writeSealedPage(page: SealedPage): Promise<void> {
	const db = requireDb();
	await guardWrite(() =>
		db.transaction('rw', [db.cases, db.persons, db.notes, db.visits, db.meta], async () => {
			await db.cases.bulkPut(page.cases);
			await db.persons.bulkPut(page.persons);
			await db.notes.bulkPut(page.notes);
			await db.visits.bulkPut(page.visits);
			if (page.meta.length > 0) await db.meta.bulkPut(page.meta);
		})
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
