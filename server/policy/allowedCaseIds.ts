import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { cases } from '../db/schema';
import type { CaseAction } from './caseActions';
import { listCaseGrants, liveCaseStatuses } from './caseAccessFor';
import { loadPolicySubject, type UserRef } from './loadPolicySubject';

/**
 * The set of case ids the user may act on now for an action (Immich's access pattern): a
 * disabled user, an unknown user or an unknown role gets the empty set.
 */
export async function allowedCaseIds(
	db: Executor,
	user: UserRef,
	now: Date,
	action: CaseAction = 'read'
): Promise<Set<string>> {
	const subject = await loadPolicySubject(db, user.id);
	if (!subject || subject.disabled) return new Set();
	switch (subject.role) {
		case 'worker':
		case 'lead': {
			const grants = await listCaseGrants(db, subject, now);
			const leadOfTeam = (teamId: string | null) => subject.role === 'lead' && subject.teamId !== null && teamId === subject.teamId;
			switch (action) {
				case 'read':
					return new Set(grants.map((g) => g.caseId));
				case 'write':
					return new Set(grants.filter((g) => g.access.kind !== 'team' && g.status === 'open').map((g) => g.caseId));
				case 'review':
				case 'administer':
					return new Set(grants.filter((g) => leadOfTeam(g.teamId)).map((g) => g.caseId));
				default:
					return new Set();
			}
		}
		case 'admin': {
			if (action !== 'administer') return new Set();
			const rows = await db
				.select({ id: cases.id })
				.from(cases)
				.where(and(eq(cases.organisationId, subject.organisationId), inArray(cases.status, [...liveCaseStatuses])));
			return new Set(rows.map((r) => r.id));
		}
		case 'dpo': {
			if (action !== 'audit') return new Set();
			const rows = await db
				.select({ id: cases.id })
				.from(cases)
				.where(and(eq(cases.organisationId, subject.organisationId), ne(cases.status, 'destroyed')));
			return new Set(rows.map((r) => r.id));
		}
		default:
			return new Set();
	}
}
