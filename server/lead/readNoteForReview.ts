import { count, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client';
import { cases, noteRevisions, notes, users } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { notFoundOrNoAccess } from '../trpc/appError';
import type { PolicySubject } from '../policy/loadPolicySubject';
import { noteBodyFor } from '../policy/noteBodyFor';
import { requireNoteAccess } from '../policy/requireResourceAccess';
import { writtenOffline } from './writtenOffline';

/**
 * A team note opened by its lead for review: the text (unless its sensitive category is not
 * among the lead's habilitations), when it was written on the device and when it reached the
 * server. Every opening is an online view, audited as 'view.online.note' in the same transaction.
 */
export async function readNoteForReview(db: Database, lead: PolicySubject, noteId: string, now: Date) {
	await requireNoteAccess(db, lead, noteId, 'review', now);
	const reviewer = alias(users, 'reviewer');
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({
				id: notes.id,
				caseId: notes.caseId,
				caseReference: cases.reference,
				measureType: cases.measureType,
				authorId: notes.authorId,
				authorName: users.displayName,
				kind: notes.kind,
				body: notes.body,
				sensitiveCategory: notes.sensitiveCategory,
				status: notes.status,
				reviewComment: notes.reviewComment,
				reviewedAt: notes.reviewedAt,
				reviewerName: reviewer.displayName,
				conflictOf: notes.conflictOf,
				revision: notes.revision,
				createdOnDeviceAt: notes.createdOnDeviceAt,
				receivedAt: notes.receivedAt,
				version: notes.version
			})
			.from(notes)
			.innerJoin(cases, eq(cases.id, notes.caseId))
			.innerJoin(users, eq(users.id, notes.authorId))
			.leftJoin(reviewer, eq(reviewer.id, notes.reviewedBy))
			.where(eq(notes.id, noteId));
		if (!row || row.status === 'draft') throw notFoundOrNoAccess();
		const [{ revisions }] = await tx.select({ revisions: count() }).from(noteRevisions).where(eq(noteRevisions.noteId, noteId));
		const { body, restricted } = noteBodyFor(lead.habilitations, row);
		await appendAuditEvent(tx, {
			action: 'view.online.note',
			actorId: lead.id,
			caseId: row.caseId,
			noteId: row.id,
			details: { purpose: 'review', restricted }
		}, now);
		return {
			...row,
			body,
			restricted,
			earlierRevisions: revisions,
			writtenOffline: writtenOffline(row),
			createdOnDeviceAt: row.createdOnDeviceAt.toISOString(),
			receivedAt: row.receivedAt.toISOString(),
			reviewedAt: row.reviewedAt?.toISOString() ?? null
		};
	});
}
