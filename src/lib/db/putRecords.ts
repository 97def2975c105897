import type { CaseRecord, NoteRecord, PersonRecord, VisitRecord } from '$lib/shared/records';
import { metaRow, type MetaKey, type MetaValues } from './meta';
import { sealValues, type SealedTable } from './sealedTable';
import { requireDb } from './session';
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

/**
 * One pull page at once: every table in a single transaction, with the meta values given (the
 * sync cursor and policy: they then advance with the records, or not at all).
 */
export async function putPullPage(
	page: {
		cases: CaseRecord[];
		persons: PersonRecord[];
		notes: NoteRecord[];
		visits: VisitRecord[];
	},
	meta: Partial<MetaValues> = {}
): Promise<void> {
	const db = requireDb();
	const [cases, persons, notes, visits, metaRows] = await Promise.all([
		sealValues(casesTable, page.cases),
		sealValues(personsTable, page.persons),
		sealValues(notesTable, page.notes),
		sealValues(visitsTable, page.visits),
		Promise.all(Object.entries(meta).map(([key, value]) => metaRow(key as MetaKey, value as never)))
	]);
	await guardWrite(() =>
		db.transaction('rw', [db.cases, db.persons, db.notes, db.visits, db.meta], async () => {
			await db.cases.bulkPut(cases);
			await db.persons.bulkPut(persons);
			await db.notes.bulkPut(notes);
			await db.visits.bulkPut(visits);
			if (metaRows.length > 0) await db.meta.bulkPut(metaRows);
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
