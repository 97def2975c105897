import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, cases, users } from '../db/schema';
import type { AssignmentRole } from '../../src/lib/shared/domain';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { appError, notFoundOrNoAccess } from '../trpc/appError';
import { checkAssignee } from '../policy/assignmentRules';
import { requireCaseAccess } from '../policy/checkCaseAccess';
import type { PolicySubject } from '../policy/loadPolicySubject';

/**
 * Puts a worker on a case (referent, co-referent or intervenant), from now, optionally until an
 * end date. The actor must administer the case (the lead of its team, or an administrator of its
 * organisation); the worker's devices receive the case at their next pull.
 */
export async function assignWorker(db: Database, actor: PolicySubject, input: AssignWorkerInput, now: Date) {
	await requireCaseAccess(db, actor, input.caseId, 'administer', now);
	const userId = input.userId ?? (input.username ? await userIdByUsername(db, input.username) : null);
	if (!userId) throw notFoundOrNoAccess();
	if (input.endsAt && new Date(input.endsAt).getTime() <= now.getTime()) throw appError('BAD_REQUEST', 'delegation-end-in-past');
	return db.transaction(async (tx) => {
		const [kase] = await tx.select({ organisationId: cases.organisationId }).from(cases).where(eq(cases.id, input.caseId));
		if (!kase) throw notFoundOrNoAccess();
		const decision = await checkAssignee(tx, { userId, caseOrganisationId: kase.organisationId, crossOrganisation: input.crossOrganisation });
		if (!decision.ok) throw decision.reason === 'cross-organisation-required' ? appError('BAD_REQUEST', decision.reason) : notFoundOrNoAccess();
		const [existing] = await tx
			.select({ id: assignments.id })
			.from(assignments)
			.where(and(eq(assignments.caseId, input.caseId), eq(assignments.userId, userId), eq(assignments.role, input.role), or(isNull(assignments.endsAt), gt(assignments.endsAt, now))));
		if (existing) throw appError('CONFLICT', 'already-assigned');
		const [row] = await tx
			.insert(assignments)
			.values({ caseId: input.caseId, userId, role: input.role, startsAt: now, endsAt: input.endsAt ? new Date(input.endsAt) : null, createdBy: actor.id, createdAt: now })
			.returning({ id: assignments.id });
		await appendAuditEvent(tx, {
			action: 'assignment.create',
			actorId: actor.id,
			caseId: input.caseId,
			details: { assignmentId: row.id, userId, role: input.role, endsAt: input.endsAt ?? null, crossOrganisation: decision.crossOrganisation }
		}, now);
		return { assignmentId: row.id };
	});
}

/** Ends an assignment now (the row stays: who held the case, and when, is history). */
export async function endAssignment(db: Database, actor: PolicySubject, assignmentId: string, now: Date) {
	const [row] = await db
		.select({ caseId: assignments.caseId, userId: assignments.userId, role: assignments.role, endsAt: assignments.endsAt })
		.from(assignments)
		.where(eq(assignments.id, assignmentId));
	if (!row) throw notFoundOrNoAccess();
	await requireCaseAccess(db, actor, row.caseId, 'administer', now);
	if (row.endsAt && row.endsAt.getTime() <= now.getTime()) throw notFoundOrNoAccess();
	return db.transaction(async (tx) => {
		await tx.update(assignments).set({ endsAt: now }).where(eq(assignments.id, assignmentId));
		await appendAuditEvent(tx, {
			action: 'assignment.end',
			actorId: actor.id,
			caseId: row.caseId,
			details: { assignmentId, userId: row.userId, role: row.role }
		}, now);
		return { ok: true as const };
	});
}

async function userIdByUsername(db: Database, username: string): Promise<string | null> {
	const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username.trim().toLowerCase()));
	return row?.id ?? null;
}

export interface AssignWorkerInput {
	caseId: string;
	userId?: string;
	username?: string;
	role: AssignmentRole;
	endsAt?: string | null;
	crossOrganisation: boolean;
}
