import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { cases } from '../db/schema';
import { liveCaseStatuses } from './caseAccessFor';
import { checkCaseAccess } from './checkCaseAccess';
import type { PolicySubject } from './loadPolicySubject';

/**
 * Break the glass: a worker or a lead opens, for themselves, a case of their own organisation
 * outside their caseload, online only, for a stated reason and `limits.emergencyGrantHours`.
 * The lead of the case's team and of the requester's team sees it; every grant is audited.
 * A case of another organisation (a provider's TISF asking for an association case) answers
 * "not found or no access", like a reference that does not exist.
 */
export async function checkEmergencyRequest(
	db: Executor,
	requester: PolicySubject,
	caseReference: string,
	now: Date
): Promise<EmergencyDecision> {
	if (requester.disabled || (requester.role !== 'worker' && requester.role !== 'lead')) return { ok: false, reason: 'not-found-or-no-access' };
	const [row] = await db
		.select({ id: cases.id })
		.from(cases)
		.where(and(eq(cases.reference, caseReference), eq(cases.organisationId, requester.organisationId), inArray(cases.status, [...liveCaseStatuses])));
	if (!row) return { ok: false, reason: 'not-found-or-no-access' };
	const current = await checkCaseAccess(db, requester, row.id, 'read', now);
	if (current.ok) return { ok: false, reason: 'emergency-not-needed' };
	return { ok: true, caseId: row.id };
}

export type EmergencyDecision =
	| { ok: true; caseId: string }
	| { ok: false; reason: 'not-found-or-no-access' | 'emergency-not-needed' };
