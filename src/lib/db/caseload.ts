import type { CaseRecord, NoteRecord, PersonRecord, VisitRecord } from '$lib/shared/records';
import type { RecordFailure } from './quarantine';
import { openRow, openRows } from './sealedTable';
import { requireDb } from './session';
import { countNotesByCase, notePacksTable, notesMigrated, notesOfPacks } from './notePacks';
import { casesTable, personsTable, visitsTable } from './tables';

/** One case, decrypted; `null` when absent or quarantined. */
export async function getCase(caseId: string): Promise<CaseRecord | null> {
	return openRow(casesTable, await requireDb().cases.get(caseId));
}

/**
 * Every case held on the device with its persons and visits, for the caseload list.
 * Notes are counted from the note packs' clear refs: index keys only, no pack is read or
 * decrypted (3,000 notes are several MB that the list does not need).
 */
export async function listCaseload(): Promise<{ items: CaseloadItem[]; failures: RecordFailure[] }> {
	const db = requireDb();
	await notesMigrated();
	const [[caseRows, personRows, visitRows], noteCounts] = await Promise.all([
		db.transaction('r', [db.cases, db.persons, db.visits], () => Promise.all([db.cases.toArray(), db.persons.toArray(), db.visits.toArray()])),
		countNotesByCase()
	]);
	const [cases, persons, visits] = await Promise.all([
		openRows(casesTable, caseRows),
		openRows(personsTable, personRows),
		openRows(visitsTable, visitRows)
	]);
	const items = cases.items.map((record) => ({
		case: record,
		persons: persons.items.filter((p) => p.caseId === record.id),
		visits: visits.items
			.filter((v) => v.caseId === record.id)
			.sort((a, b) => a.plannedAt.localeCompare(b.plannedAt)),
		noteCount: noteCounts.get(record.id) ?? 0
	}));
	return { items, failures: [...cases.failures, ...persons.failures, ...visits.failures] };
}

/** A case with all its rows, decrypted; `null` when the case is not on the device. */
export async function getCaseDetail(caseId: string): Promise<CaseDetail | null> {
	const db = requireDb();
	await notesMigrated();
	const [caseRow, personRows, packRows, visitRows] = await db.transaction(
		'r',
		[db.cases, db.persons, db.notePacks, db.visits],
		() =>
			Promise.all([
				db.cases.get(caseId),
				db.persons.where('caseId').equals(caseId).toArray(),
				db.notePacks.where('caseId').equals(caseId).toArray(),
				db.visits.where('caseId').equals(caseId).toArray()
			])
	);
	if (!caseRow) return null;
	const [cases, persons, notes, visits] = await Promise.all([
		openRows(casesTable, [caseRow]),
		openRows(personsTable, personRows),
		openRows(notePacksTable, packRows),
		openRows(visitsTable, visitRows)
	]);
	const failures = [...cases.failures, ...persons.failures, ...notes.failures, ...visits.failures];
	if (!cases.items[0]) return { case: null, persons: [], notes: [], visits: [], failures };
	return {
		case: cases.items[0],
		persons: persons.items,
		notes: notesOfPacks(notes.items).sort((a, b) => b.createdOnDeviceAt.localeCompare(a.createdOnDeviceAt)),
		visits: visits.items.sort((a, b) => a.plannedAt.localeCompare(b.plannedAt)),
		failures
	};
}

export type CaseloadItem = {
	case: CaseRecord;
	persons: PersonRecord[];
	/** Sorted by planned time. */
	visits: VisitRecord[];
	noteCount: number;
};

/** `case` is null when the case row itself was quarantined (its rows are then withheld too). */
export type CaseDetail = {
	case: CaseRecord | null;
	persons: PersonRecord[];
	/** Newest first. */
	notes: NoteRecord[];
	/** Sorted by planned time. */
	visits: VisitRecord[];
	failures: RecordFailure[];
};

/** Ids of the cases held on the device (clear index, no decryption): sync.pull's `heldCaseIds`. */
export async function listHeldCaseIds(): Promise<string[]> {
	return (await requireDb().cases.toCollection().primaryKeys()) as string[];
}

/** Case ids with unsynced work (outbox) or a draft, from clear indexes: the caseload's markers. */
export async function listCaseIdsWithLocalWork(): Promise<{ unsynced: Set<string>; drafts: Set<string> }> {
	const db = requireDb();
	const [outbox, drafts] = await Promise.all([db.outbox.toArray(), db.drafts.toArray()]);
	return {
		unsynced: new Set(outbox.map((row) => row.caseId).filter((id): id is string => !!id)),
		drafts: new Set(drafts.map((row) => row.caseId))
	};
}

/** Every note on the device, decrypted (for the in-memory search; dropped with the page on lock). */
export async function listNotes(): Promise<{ items: NoteRecord[]; failures: RecordFailure[] }> {
	await notesMigrated();
	const { items, failures } = await openRows(notePacksTable, await requireDb().notePacks.toArray());
	return { items: notesOfPacks(items), failures };
}
