import { and, asc, count, eq, gt, inArray, ne, or } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { cases, notes, persons, tombstones, users, visits } from '../db/schema';

/**
 * The queries of sync.pull, each bounded by case ids (the allowed set) and served by the
 * (case_id, version) indexes. Columns are listed explicitly: nothing else leaves the server.
 */

const caseColumns = {
	id: cases.id,
	reference: cases.reference,
	measureType: cases.measureType,
	status: cases.status,
	teamId: cases.teamId,
	openedAt: cases.openedAt,
	closedAt: cases.closedAt,
	lastContactAt: cases.lastContactAt,
	version: cases.version
};
const personColumns = {
	id: persons.id,
	caseId: persons.caseId,
	role: persons.role,
	firstName: persons.firstName,
	lastName: persons.lastName,
	birthDate: persons.birthDate,
	address: persons.address,
	phone: persons.phone,
	email: persons.email,
	relationship: persons.relationship,
	frozenAt: persons.frozenAt,
	version: persons.version
};
const noteColumns = {
	id: notes.id,
	caseId: notes.caseId,
	authorId: notes.authorId,
	authorName: users.displayName,
	kind: notes.kind,
	body: notes.body,
	sensitiveCategory: notes.sensitiveCategory,
	status: notes.status,
	reviewComment: notes.reviewComment,
	visitId: notes.visitId,
	conflictOf: notes.conflictOf,
	createdOnDeviceAt: notes.createdOnDeviceAt,
	receivedAt: notes.receivedAt,
	version: notes.version
};
const visitColumns = {
	id: visits.id,
	caseId: visits.caseId,
	userId: visits.userId,
	plannedAt: visits.plannedAt,
	status: visits.status,
	place: visits.place,
	purpose: visits.purpose,
	reportNoteId: visits.reportNoteId,
	version: visits.version
};
const tombstoneColumns = { entity: tombstones.entity, id: tombstones.id, caseId: tombstones.caseId, version: tombstones.version };

/** Drafts are the author's own: nobody else's device receives them. */
const visibleNote = (readerId: string) => or(ne(notes.status, 'draft'), eq(notes.authorId, readerId));

/** Rows of the given cases written after `cursor`, the `limit` lowest versions of each table. */
export async function readChangedRows(db: Executor, caseIds: string[], cursor: number, limit: number, readerId: string) {
	const [caseRows, personRows, noteRows, visitRows, tombstoneRows] = [
		await db.select(caseColumns).from(cases).where(and(inArray(cases.id, caseIds), gt(cases.version, cursor))).orderBy(asc(cases.version)).limit(limit),
		await db.select(personColumns).from(persons).where(and(inArray(persons.caseId, caseIds), gt(persons.version, cursor))).orderBy(asc(persons.version)).limit(limit),
		await db
			.select(noteColumns)
			.from(notes)
			.innerJoin(users, eq(users.id, notes.authorId))
			.where(and(inArray(notes.caseId, caseIds), gt(notes.version, cursor), visibleNote(readerId)))
			.orderBy(asc(notes.version))
			.limit(limit),
		await db.select(visitColumns).from(visits).where(and(inArray(visits.caseId, caseIds), gt(visits.version, cursor))).orderBy(asc(visits.version)).limit(limit),
		await db
			.select(tombstoneColumns)
			.from(tombstones)
			.where(and(inArray(tombstones.caseId, caseIds), gt(tombstones.version, cursor)))
			.orderBy(asc(tombstones.version))
			.limit(limit)
	];
	return { caseRows, personRows, noteRows, visitRows, tombstoneRows };
}

/** How many rows each case would send in full (the case row itself counts one). */
export async function countCaseRows(db: Executor, caseIds: string[], readerId: string): Promise<Map<string, number>> {
	const sizes = new Map(caseIds.map((id) => [id, 1]));
	const add = (rows: { caseId: string; n: number }[]) => {
		for (const row of rows) sizes.set(row.caseId, (sizes.get(row.caseId) ?? 1) + row.n);
	};
	add(await db.select({ caseId: persons.caseId, n: count() }).from(persons).where(inArray(persons.caseId, caseIds)).groupBy(persons.caseId));
	add(await db.select({ caseId: notes.caseId, n: count() }).from(notes).where(and(inArray(notes.caseId, caseIds), visibleNote(readerId))).groupBy(notes.caseId));
	add(await db.select({ caseId: visits.caseId, n: count() }).from(visits).where(inArray(visits.caseId, caseIds)).groupBy(visits.caseId));
	return sizes;
}

/** Everything of the given cases, as a device that never held them needs it. */
export async function readWholeCases(db: Executor, caseIds: string[], readerId: string) {
	return {
		caseRows: await db.select(caseColumns).from(cases).where(inArray(cases.id, caseIds)),
		personRows: await db.select(personColumns).from(persons).where(inArray(persons.caseId, caseIds)),
		noteRows: await db
			.select(noteColumns)
			.from(notes)
			.innerJoin(users, eq(users.id, notes.authorId))
			.where(and(inArray(notes.caseId, caseIds), visibleNote(readerId))),
		visitRows: await db.select(visitColumns).from(visits).where(inArray(visits.caseId, caseIds)),
		tombstoneRows: [] as TombstoneRow[]
	};
}

export type CaseRows = Awaited<ReturnType<typeof readChangedRows>>;
export type CaseRow = CaseRows['caseRows'][number];
export type PersonRow = CaseRows['personRows'][number];
export type NoteRow = CaseRows['noteRows'][number];
export type VisitRow = CaseRows['visitRows'][number];
export interface TombstoneRow {
	entity: 'case' | 'person' | 'note' | 'visit';
	id: string;
	caseId: string;
	version: number;
}
