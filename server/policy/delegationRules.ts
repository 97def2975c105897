import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { users } from '../db/schema';
import { limits } from '../../src/lib/shared/domain';
import type { PolicySubject } from './loadPolicySubject';

const DAY_MS = 86_400_000;

/**
 * A suppléance: an absent worker's cases covered by a colleague of the same organisation, for a
 * stated reason, until an end date at most `limits.delegationMaxDays` ahead. A lead delegates
 * from a member of their own team; an administrator from anyone of their organisation.
 */
export async function checkDelegation(
	db: Executor,
	actor: PolicySubject,
	input: { fromUserId: string; toUserId: string; reason: string; startsAt: Date; endsAt: Date | null },
	now: Date
): Promise<DelegationDecision> {
	if (input.reason.trim().length === 0) return { ok: false, reason: 'reason-required' };
	if (!input.endsAt) return { ok: false, reason: 'delegation-end-required' };
	if (input.endsAt.getTime() <= now.getTime() || input.endsAt.getTime() <= input.startsAt.getTime()) return { ok: false, reason: 'delegation-end-in-past' };
	if (input.endsAt.getTime() - Math.max(now.getTime(), input.startsAt.getTime()) > limits.delegationMaxDays * DAY_MS) return { ok: false, reason: 'delegation-too-long' };
	if (input.fromUserId === input.toUserId) return { ok: false, reason: 'delegation-same-person' };

	const people = await db
		.select({ id: users.id, organisationId: users.organisationId, role: users.role, disabledAt: users.disabledAt })
		.from(users)
		.where(inArray(users.id, [input.fromUserId, input.toUserId]));
	const from = people.find((p) => p.id === input.fromUserId);
	const to = people.find((p) => p.id === input.toUserId);
	const fieldRole = (p: typeof from) => !!p && (p.role === 'worker' || p.role === 'lead');
	if (!from || !to || !fieldRole(from) || !fieldRole(to) || to.disabledAt) return { ok: false, reason: 'not-found-or-no-access' };

	if (actor.role === 'lead') {
		if (!(await isTeamMember(db, actor, from.id))) return { ok: false, reason: 'not-found-or-no-access' };
	} else if (actor.role !== 'admin' || from.organisationId !== actor.organisationId) {
		return { ok: false, reason: 'not-found-or-no-access' };
	}
	if (to.organisationId !== from.organisationId) return { ok: false, reason: 'delegation-other-organisation' };
	return { ok: true };
}

/** Who may end a delegation early: the lead of the absent worker's team, or an administrator of their organisation. */
export async function mayManageDelegation(db: Executor, actor: PolicySubject, delegation: { fromUserId: string }): Promise<boolean> {
	if (actor.disabled) return false;
	if (actor.role === 'lead') return isTeamMember(db, actor, delegation.fromUserId);
	if (actor.role !== 'admin') return false;
	const [row] = await db.select({ organisationId: users.organisationId }).from(users).where(eq(users.id, delegation.fromUserId));
	return !!row && row.organisationId === actor.organisationId;
}

/** A disabled member of the lead's team may still be the one covered (that is the usual case). */
async function isTeamMember(db: Executor, lead: PolicySubject, userId: string): Promise<boolean> {
	if (!lead.teamId) return false;
	const [row] = await db.select({ teamId: users.teamId, organisationId: users.organisationId }).from(users).where(eq(users.id, userId));
	return !!row && row.teamId === lead.teamId && row.organisationId === lead.organisationId;
}

export type DelegationRefusal =
	| 'reason-required'
	| 'delegation-end-required'
	| 'delegation-end-in-past'
	| 'delegation-too-long'
	| 'delegation-same-person'
	| 'delegation-other-organisation'
	| 'not-found-or-no-access';

export type DelegationDecision = { ok: true } | { ok: false; reason: DelegationRefusal };
