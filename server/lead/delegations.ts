import { and, desc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Executor } from '../db/client';
import { delegations, users } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { appError, notFoundOrNoAccess } from '../trpc/appError';
import { checkDelegation, mayManageDelegation } from '../policy/delegationRules';
import { leadTeamMemberIds } from '../policy/leadScope';
import type { PolicySubject } from '../policy/loadPolicySubject';

const DAY_MS = 86_400_000;
/** Ended delegations stay listed this long, so the lead sees what just ended. */
const RECENT_DAYS = 30;

/** Creates a suppléance; the colleague's devices receive the covered cases at their next pull. */
export async function createDelegation(db: Database, actor: PolicySubject, input: CreateDelegationInput, now: Date) {
	const startsAt = input.startsAt ? new Date(input.startsAt) : now;
	const endsAt = input.endsAt ? new Date(input.endsAt) : null;
	const decision = await checkDelegation(db, actor, { ...input, startsAt, endsAt }, now);
	if (!decision.ok) throw decision.reason === 'not-found-or-no-access' ? notFoundOrNoAccess() : appError('BAD_REQUEST', decision.reason);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(delegations)
			.values({ fromUserId: input.fromUserId, toUserId: input.toUserId, reason: input.reason.trim(), startsAt, endsAt: endsAt!, createdBy: actor.id, createdAt: now })
			.returning({ id: delegations.id });
		await appendAuditEvent(tx, {
			action: 'delegation.create',
			actorId: actor.id,
			details: { delegationId: row.id, fromUserId: input.fromUserId, toUserId: input.toUserId, startsAt: startsAt.toISOString(), endsAt: endsAt!.toISOString(), reason: input.reason.trim() }
		}, now);
		return { delegationId: row.id };
	});
}

/**
 * Ends a delegation now: the colleague's devices drop the covered cases at their next pull. An
 * already ended delegation that was never revoked may be revoked too (cleaning a stale record).
 */
export async function revokeDelegation(db: Database, actor: PolicySubject, delegationId: string, now: Date) {
	const [row] = await db
		.select({ fromUserId: delegations.fromUserId, toUserId: delegations.toUserId, endsAt: delegations.endsAt, revokedAt: delegations.revokedAt })
		.from(delegations)
		.where(eq(delegations.id, delegationId));
	if (!row || row.revokedAt || !(await mayManageDelegation(db, actor, row))) throw notFoundOrNoAccess();
	return db.transaction(async (tx) => {
		await tx.update(delegations).set({ revokedAt: now }).where(and(eq(delegations.id, delegationId), isNull(delegations.revokedAt)));
		await appendAuditEvent(tx, {
			action: 'delegation.revoke',
			actorId: actor.id,
			details: { delegationId, fromUserId: row.fromUserId, toUserId: row.toUserId, endedEarly: row.endsAt.getTime() > now.getTime() }
		}, now);
		return { ok: true as const };
	});
}

/** The delegations from members of the lead's team: current, upcoming, and ended in the last 30 days. */
export async function listTeamDelegations(db: Executor, lead: PolicySubject, now: Date) {
	const members = [...(await leadTeamMemberIds(db, lead, true))];
	if (members.length === 0) return [];
	const from = alias(users, 'from_user');
	const to = alias(users, 'to_user');
	const rows = await db
		.select({
			id: delegations.id,
			fromUserId: delegations.fromUserId,
			fromName: from.displayName,
			toUserId: delegations.toUserId,
			toName: to.displayName,
			reason: delegations.reason,
			startsAt: delegations.startsAt,
			endsAt: delegations.endsAt,
			revokedAt: delegations.revokedAt
		})
		.from(delegations)
		.innerJoin(from, eq(from.id, delegations.fromUserId))
		.innerJoin(to, eq(to.id, delegations.toUserId))
		.where(and(inArray(delegations.fromUserId, members), or(gt(delegations.endsAt, new Date(now.getTime() - RECENT_DAYS * DAY_MS)), isNull(delegations.revokedAt))))
		.orderBy(desc(delegations.endsAt));
	return rows.map((r) => ({
		...r,
		state: delegationState(r, now),
		startsAt: r.startsAt.toISOString(),
		endsAt: r.endsAt.toISOString(),
		revokedAt: r.revokedAt?.toISOString() ?? null
	}));
}

/** 'stale': ended by its date but never revoked (a record worth cleaning). */
export function delegationState(d: { startsAt: Date; endsAt: Date; revokedAt: Date | null }, now: Date): 'active' | 'upcoming' | 'revoked' | 'stale' {
	if (d.revokedAt) return 'revoked';
	if (d.endsAt.getTime() <= now.getTime()) return 'stale';
	if (d.startsAt.getTime() > now.getTime()) return 'upcoming';
	return 'active';
}

export interface CreateDelegationInput {
	fromUserId: string;
	toUserId: string;
	reason: string;
	startsAt?: string | null;
	endsAt?: string | null;
}
