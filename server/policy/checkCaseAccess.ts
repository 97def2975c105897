import { and, eq, ne } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { cases } from '../db/schema';
import type { CaseAccess } from '../../src/lib/shared/records';
import type { CaseStatus } from '../../src/lib/shared/domain';
import { notFoundOrNoAccess } from '../trpc/appError';
import type { CaseAction } from './caseActions';
import { listCaseGrants, liveCaseStatuses } from './caseAccessFor';
import { loadPolicySubject, type PolicySubject, type UserRef } from './loadPolicySubject';

/**
 * The one decision "may this user do this to this case now". A missing case and a case the user
 * may not touch give the same answer. 'case-closed' is only told to someone who may read the case.
 */
export async function checkCaseAccess(
	db: Executor,
	user: UserRef,
	caseId: string,
	action: CaseAction,
	now: Date
): Promise<CaseDecision> {
	const subject = await loadPolicySubject(db, user.id);
	return subject ? checkCaseAccessAs(db, subject, caseId, action, now) : denied;
}

/**
 * checkCaseAccess for a subject the caller loaded from the database in this same request (sync
 * pushes: one load for all the mutations of the request, instead of one per mutation).
 */
export async function checkCaseAccessAs(
	db: Executor,
	subject: PolicySubject,
	caseId: string,
	action: CaseAction,
	now: Date
): Promise<CaseDecision> {
	if (subject.disabled) return denied;
	switch (subject.role) {
		case 'worker':
		case 'lead':
			return decideForFieldRole(db, subject, caseId, action, now);
		case 'admin':
			return action === 'administer' ? decideForOrganisation(db, subject, caseId, true) : denied;
		case 'dpo':
			return action === 'audit' ? decideForOrganisation(db, subject, caseId, false) : denied;
		default:
			return denied;
	}
}

/** checkCaseAccess that throws "not found or no access" on every refusal, whether the case exists or not. */
export async function requireCaseAccess(
	db: Executor,
	user: UserRef,
	caseId: string,
	action: CaseAction,
	now: Date
): Promise<CaseAllowed> {
	const decision = await checkCaseAccess(db, user, caseId, action, now);
	if (decision.ok) return decision;
	throw notFoundOrNoAccess();
}

async function decideForFieldRole(
	db: Executor,
	subject: PolicySubject,
	caseId: string,
	action: CaseAction,
	now: Date
): Promise<CaseDecision> {
	const grant = (await listCaseGrants(db, subject, now)).find((g) => g.caseId === caseId);
	if (!grant) return denied;
	const allowed: CaseAllowed = { ok: true, caseId, status: grant.status, teamId: grant.teamId, access: grant.access };
	const leadOfTeam = subject.role === 'lead' && subject.teamId !== null && grant.teamId === subject.teamId;
	switch (action) {
		case 'read':
			return allowed;
		case 'write':
			if (grant.access.kind === 'team') return denied;
			return grant.status === 'open' ? allowed : { ok: false, reason: 'case-closed' };
		case 'review':
		case 'administer':
			return leadOfTeam ? allowed : denied;
		default:
			return denied;
	}
}

/** Administrators (assignments, delegations) and the DPO (audit) act on their organisation's cases, never on content. */
async function decideForOrganisation(
	db: Executor,
	subject: PolicySubject,
	caseId: string,
	liveOnly: boolean
): Promise<CaseDecision> {
	const [row] = await db
		.select({ status: cases.status, teamId: cases.teamId })
		.from(cases)
		.where(and(eq(cases.id, caseId), eq(cases.organisationId, subject.organisationId), ne(cases.status, 'destroyed')));
	if (!row) return denied;
	if (liveOnly && !(liveCaseStatuses as readonly string[]).includes(row.status)) return denied;
	return { ok: true, caseId, status: row.status, teamId: row.teamId, access: null };
}

const denied: CaseDenied = { ok: false, reason: 'no-access' };

export interface CaseAllowed {
	ok: true;
	caseId: string;
	status: CaseStatus;
	teamId: string | null;
	/** Why a field user may act (null for administrators and the DPO, who act without content). */
	access: CaseAccess | null;
}

export interface CaseDenied {
	ok: false;
	reason: 'no-access' | 'case-closed';
}

export type CaseDecision = CaseAllowed | CaseDenied;
