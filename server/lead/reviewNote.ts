import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { notes } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { appError, notFoundOrNoAccess } from '../trpc/appError';
import type { PolicySubject } from '../policy/loadPolicySubject';
import { requireNoteAccess } from '../policy/requireResourceAccess';

/**
 * The lead's decision on a note: 'reviewed' (relue) or 'changes_requested' (à reprendre, with a
 * comment). The update bumps the note's version (trigger), so the author's device receives the
 * status and the comment at its next pull. The lead decides on the version they read: if the
 * author changed the note meanwhile, the decision is refused ('note-changed'), never applied
 * to a text the lead has not seen.
 */
export async function reviewNote(db: Database, lead: PolicySubject, input: ReviewNoteInput, now: Date) {
	await requireNoteAccess(db, lead, input.noteId, 'review', now);
	const comment = input.comment?.trim() || null;
	if (input.decision === 'changes_requested' && !comment) throw appError('BAD_REQUEST', 'comment-required');
	return db.transaction(async (tx) => {
		const [current] = await tx
			.select({ caseId: notes.caseId, status: notes.status, version: notes.version })
			.from(notes)
			.where(eq(notes.id, input.noteId))
			.for('update');
		if (!current || current.status === 'draft') throw notFoundOrNoAccess();
		if (current.version !== input.version) throw appError('CONFLICT', 'note-changed', { currentVersion: current.version });
		const [updated] = await tx
			.update(notes)
			.set({ status: input.decision, reviewComment: comment, reviewedBy: lead.id, reviewedAt: now })
			.where(and(eq(notes.id, input.noteId), eq(notes.version, input.version)))
			.returning({ version: notes.version, status: notes.status });
		await appendAuditEvent(tx, {
			action: 'note.review',
			actorId: lead.id,
			caseId: current.caseId,
			noteId: input.noteId,
			details: { decision: input.decision, previousStatus: current.status, withComment: comment !== null }
		}, now);
		return { noteId: input.noteId, status: updated.status, version: updated.version };
	});
}

export interface ReviewNoteInput {
	noteId: string;
	version: number;
	decision: 'reviewed' | 'changes_requested';
	comment?: string | null;
}
