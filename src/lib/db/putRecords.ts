import type { CaseRecord, NoteRecord, PersonRecord, VisitRecord } from '$lib/shared/records';
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

/** One pull page at once: every table in a single transaction. */
export async function putPullPage(page: {
	cases: CaseRecord[];
	persons: PersonRecord[];
	notes: NoteRecord[];
	visits: VisitRecord[];
}): Promise<void> {
	const db = requireDb();
	const [cases, persons, notes, visits] = await Promise.all([
		sealValues(casesTable, page.cases),
		sealValues(personsTable, page.persons),
		sealValues(notesTable, page.notes),
		sealValues(visitsTable, page.visits)
	]);
	await guardWrite(() =>
		db.transaction('rw', [db.cases, db.persons, db.notes, db.visits], async () => {
			await db.cases.bulkPut(cases);
			await db.persons.bulkPut(persons);
			await db.notes.bulkPut(notes);
			await db.visits.bulkPut(visits);
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
