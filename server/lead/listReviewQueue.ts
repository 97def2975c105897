import { and, desc, eq, inArray, lt, ne, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { cases, notes, users } from '../db/schema';
import type { NoteKind, NoteStatus } from '../../src/lib/shared/domain';
import { leadTeamCaseIds } from '../policy/leadScope';
import type { PolicySubject } from '../policy/loadPolicySubject';
import { noteBodyFor } from '../policy/noteBodyFor';
import { writtenOffline, writtenOfflineSql } from './writtenOffline';

export const REVIEW_PAGE_SIZE = 50;

/**
 * The notes of the lead's team cases, newest received first, without their text: reading a
 * note is opening it (readNoteForReview), which is audited. Drafts never leave their author.
 */
export async function listReviewQueue(db: Executor, lead: PolicySubject, filter: ReviewQueueFilter, now: Date) {
	const caseIds = [...(await leadTeamCaseIds(db, lead, now))];
	if (caseIds.length === 0) return { notes: [], nextBefore: null };
	const conditions: SQL[] = [inArray(notes.caseId, caseIds), ne(notes.status, 'draft')];
	if (filter.status !== 'all') conditions.push(eq(notes.status, filter.status));
	if (filter.authorId) conditions.push(eq(notes.authorId, filter.authorId));
	if (filter.caseId) conditions.push(eq(notes.caseId, filter.caseId));
	if (filter.kind) conditions.push(eq(notes.kind, filter.kind));
	if (filter.offlineOnly) conditions.push(writtenOfflineSql);
	if (filter.before) {
		const { receivedAt, id } = parseCursor(filter.before);
		conditions.push(or(lt(notes.receivedAt, receivedAt), and(eq(notes.receivedAt, receivedAt), lt(notes.id, id)))!);
	}

	const rows = await db
		.select({
			id: notes.id,
			caseId: notes.caseId,
			caseReference: cases.reference,
			measureType: cases.measureType,
			authorId: notes.authorId,
			authorName: users.displayName,
			kind: notes.kind,
			sensitiveCategory: notes.sensitiveCategory,
			status: notes.status,
			conflictOf: notes.conflictOf,
			createdOnDeviceAt: notes.createdOnDeviceAt,
			receivedAt: notes.receivedAt,
			reviewedAt: notes.reviewedAt
		})
		.from(notes)
		.innerJoin(cases, eq(cases.id, notes.caseId))
		.innerJoin(users, eq(users.id, notes.authorId))
		.where(and(...conditions))
		.orderBy(desc(notes.receivedAt), desc(notes.id))
		.limit(REVIEW_PAGE_SIZE + 1);

	const page = rows.slice(0, REVIEW_PAGE_SIZE);
	return {
		notes: page.map((row) => ({
			...row,
			restricted: noteBodyFor(lead.habilitations, { body: '', sensitiveCategory: row.sensitiveCategory }).restricted,
			writtenOffline: writtenOffline(row),
			createdOnDeviceAt: row.createdOnDeviceAt.toISOString(),
			receivedAt: row.receivedAt.toISOString(),
			reviewedAt: row.reviewedAt?.toISOString() ?? null
		})),
		nextBefore: rows.length > REVIEW_PAGE_SIZE ? `${page[page.length - 1].receivedAt.toISOString()}|${page[page.length - 1].id}` : null
	};
}

export interface ReviewQueueFilter {
	status: Exclude<NoteStatus, 'draft'> | 'all';
	authorId?: string;
	caseId?: string;
	kind?: NoteKind;
	offlineOnly?: boolean;
	/** Paging: the `nextBefore` of the previous page (received time and id of its last note). */
	before?: string;
}

/** Notes received at the same instant are ordered by id, so a page boundary never skips one. */
function parseCursor(cursor: string): { receivedAt: Date; id: string } {
	const [at, id] = cursor.split('|');
	return { receivedAt: new Date(at), id };
}
