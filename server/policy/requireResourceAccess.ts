import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { notes, persons, visits } from '../db/schema';
import { notFoundOrNoAccess } from '../trpc/appError';
import type { CaseAction } from './caseActions';
import { checkCaseAccess, type CaseAllowed, type CaseDecision } from './checkCaseAccess';
import type { UserRef } from './loadPolicySubject';

/**
 * Persons, notes and visits belong to one case: access to them is access to their case, plus,
 * for editing a note, being its author. A missing row answers like a forbidden one.
 */

export async function checkPersonAccess(db: Executor, user: UserRef, personId: string, action: CaseAction, now: Date) {
	const [row] = await db.select({ caseId: persons.caseId }).from(persons).where(eq(persons.id, personId));
	if (!row) return denied;
	return checkCaseAccess(db, user, row.caseId, action, now);
}

export async function checkVisitAccess(db: Executor, user: UserRef, visitId: string, action: CaseAction, now: Date) {
	const [row] = await db.select({ caseId: visits.caseId }).from(visits).where(eq(visits.id, visitId));
	if (!row) return denied;
	return checkCaseAccess(db, user, row.caseId, action, now);
}

/** Writing a note is for its author only, on a case they may still write to. */
export async function checkNoteAccess(db: Executor, user: UserRef, noteId: string, action: CaseAction, now: Date) {
	const [row] = await db.select({ caseId: notes.caseId, authorId: notes.authorId }).from(notes).where(eq(notes.id, noteId));
	if (!row) return denied;
	if (action === 'write' && row.authorId !== user.id) return denied;
	return checkCaseAccess(db, user, row.caseId, action, now);
}

export async function requirePersonAccess(db: Executor, user: UserRef, personId: string, action: CaseAction, now: Date) {
	return orThrow(await checkPersonAccess(db, user, personId, action, now));
}

export async function requireVisitAccess(db: Executor, user: UserRef, visitId: string, action: CaseAction, now: Date) {
	return orThrow(await checkVisitAccess(db, user, visitId, action, now));
}

export async function requireNoteAccess(db: Executor, user: UserRef, noteId: string, action: CaseAction, now: Date) {
	return orThrow(await checkNoteAccess(db, user, noteId, action, now));
}

function orThrow(decision: CaseDecision): CaseAllowed {
	if (decision.ok) return decision;
	throw notFoundOrNoAccess();
}

const denied: CaseDecision = { ok: false, reason: 'no-access' };
