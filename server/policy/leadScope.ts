import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { users } from '../db/schema';
import { allowedCaseIds } from './allowedCaseIds';
import type { PolicySubject } from './loadPolicySubject';

/**
 * What a team lead oversees: the live cases of their team (review and assignments) and the
 * active field staff of their team (delegations from them, emergency grants to them).
 */

/** The cases the lead reviews and assigns on: their team's open and closed cases. */
export async function leadTeamCaseIds(db: Executor, lead: PolicySubject, now: Date): Promise<Set<string>> {
	if (lead.role !== 'lead' || lead.disabled || !lead.teamId) return new Set();
	return allowedCaseIds(db, lead, now, 'review');
}

/**
 * Workers and leads of the lead's team (the lead included); with `includeDisabled`, also the
 * disabled ones, whose delegations and grants the lead still oversees.
 */
export async function leadTeamMemberIds(db: Executor, lead: PolicySubject, includeDisabled = false): Promise<Set<string>> {
	if (lead.role !== 'lead' || lead.disabled || !lead.teamId) return new Set();
	const rows = await db
		.select({ id: users.id })
		.from(users)
		.where(
			and(
				eq(users.teamId, lead.teamId),
				eq(users.organisationId, lead.organisationId),
				includeDisabled ? undefined : isNull(users.disabledAt),
				inArray(users.role, ['worker', 'lead'])
			)
		);
	return new Set(rows.map((r) => r.id));
}

/**
 * Whether the lead oversees a delegation (from a member of their team) or an emergency grant
 * (to a member of their team, or on a case of their team): they see it and may end it early.
 */
export async function leadOversees(
	db: Executor,
	lead: PolicySubject,
	item: { fromUserId: string } | { userId: string; caseId: string },
	now: Date
): Promise<boolean> {
	const members = await leadTeamMemberIds(db, lead, true);
	if ('fromUserId' in item) return members.has(item.fromUserId);
	return members.has(item.userId) || (await leadTeamCaseIds(db, lead, now)).has(item.caseId);
}
