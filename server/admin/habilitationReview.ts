import { and, asc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client';
import { assignments, cases, delegations, organisations, teams, users } from '../db/schema';
import { administeredOrganisationIds } from '../policy/adminScope';
import type { PolicySubject } from '../policy/loadPolicySubject';

const DAY_MS = 86_400_000;
/** An account not used for this long is flagged (CNIL: review habilitations, remove unused accounts). */
export const UNUSED_ACCOUNT_DAYS = 90;

export type ReviewFlag = 'unused' | 'closed-case-assignments' | 'stale-delegation' | 'no-team';

/**
 * Every account's current access with what deserves a look: unused for 90 days, still assigned
 * to closed cases, a delegation past its end never revoked, a field account without a team.
 * Case references only, never case content.
 */
export async function habilitationReview(db: Executor, admin: PolicySubject, now: Date) {
	const orgIds = [...(await administeredOrganisationIds(db, admin))];
	if (orgIds.length === 0) return { generatedAt: now.toISOString(), accounts: [], staleDelegations: [] };

	const accountRows = await db
		.select({
			id: users.id,
			username: users.username,
			displayName: users.displayName,
			role: users.role,
			profession: users.profession,
			organisationName: organisations.name,
			teamId: users.teamId,
			teamName: teams.name,
			habilitations: users.habilitations,
			disabledAt: users.disabledAt,
			createdAt: users.createdAt,
			lastLoginAt: users.lastLoginAt,
			lastReviewAt: users.lastReviewAt,
			version: users.version
		})
		.from(users)
		.innerJoin(organisations, eq(organisations.id, users.organisationId))
		.leftJoin(teams, eq(teams.id, users.teamId))
		.where(inArray(users.organisationId, orgIds))
		.orderBy(asc(users.displayName));
	const userIds = accountRows.map((u) => u.id);

	const activeAssignment = and(lte(assignments.startsAt, now), or(isNull(assignments.endsAt), gt(assignments.endsAt, now)));
	const assignmentRows = await db
		.select({ userId: assignments.userId, caseReference: cases.reference, status: cases.status })
		.from(assignments)
		.innerJoin(cases, eq(cases.id, assignments.caseId))
		.where(and(inArray(assignments.userId, userIds), activeAssignment, inArray(cases.status, ['open', 'closed'])));

	const from = alias(users, 'from_user');
	const to = alias(users, 'to_user');
	const delegationRows = await db
		.select({
			id: delegations.id,
			fromUserId: delegations.fromUserId,
			fromName: from.displayName,
			toUserId: delegations.toUserId,
			toName: to.displayName,
			startsAt: delegations.startsAt,
			endsAt: delegations.endsAt
		})
		.from(delegations)
		.innerJoin(from, eq(from.id, delegations.fromUserId))
		.innerJoin(to, eq(to.id, delegations.toUserId))
		.where(and(isNull(delegations.revokedAt), or(inArray(delegations.fromUserId, userIds), inArray(delegations.toUserId, userIds))));
	const isActive = (d: { startsAt: Date; endsAt: Date }) => d.startsAt.getTime() <= now.getTime() && d.endsAt.getTime() > now.getTime();
	const stale = delegationRows.filter((d) => d.endsAt.getTime() <= now.getTime());

	const unusedBefore = now.getTime() - UNUSED_ACCOUNT_DAYS * DAY_MS;
	const accounts = accountRows.map((u) => {
		const mine = assignmentRows.filter((a) => a.userId === u.id);
		const closedCaseReferences = mine.filter((a) => a.status === 'closed').map((a) => a.caseReference).sort();
		const lastUse = u.lastLoginAt ?? u.createdAt;
		const flags: ReviewFlag[] = [];
		if (!u.disabledAt && lastUse.getTime() < unusedBefore) flags.push('unused');
		if (closedCaseReferences.length > 0) flags.push('closed-case-assignments');
		if (stale.some((d) => d.fromUserId === u.id || d.toUserId === u.id)) flags.push('stale-delegation');
		if ((u.role === 'worker' || u.role === 'lead') && !u.teamId && !u.disabledAt) flags.push('no-team');
		return {
			id: u.id,
			username: u.username,
			displayName: u.displayName,
			role: u.role,
			profession: u.profession,
			organisationName: u.organisationName,
			teamName: u.teamName,
			habilitations: u.habilitations,
			disabled: u.disabledAt !== null,
			caseCount: mine.length,
			closedCaseReferences,
			activeDelegations: delegationRows.filter((d) => isActive(d) && (d.fromUserId === u.id || d.toUserId === u.id)).length,
			lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
			lastReviewAt: u.lastReviewAt?.toISOString() ?? null,
			flags,
			version: u.version
		};
	});

	return {
		generatedAt: now.toISOString(),
		accounts,
		staleDelegations: stale.map((d) => ({ id: d.id, fromName: d.fromName, toName: d.toName, startsAt: d.startsAt.toISOString(), endsAt: d.endsAt.toISOString() }))
	};
}
