import type { Role } from '../../src/lib/shared/domain';
import type { SessionUser } from '../auth/session';

/**
 * What a procedure needs before it runs. Every tRPC procedure declares one (tests walk the
 * router and fail on any without); case-level checks then go through server/policy.
 */
export type Need =
	/** Anyone, signed in or not (login). */
	| 'public'
	/** Signed in, even with a password change pending (me, changePassword, logout). */
	| 'session'
	/** Signed in with a valid password. */
	| 'signed-in'
	/** A field device: workers and leads sync their caseload. */
	| 'sync'
	/** A team lead: review, assignments, delegations, emergency grants for the team. */
	| 'review'
	/** An administrator: accounts, teams, assignments, devices; never case content. */
	| 'administer'
	/** The DPO: audit trail, retention, rights of the persons. */
	| 'audit';

const rolesByNeed: Record<Exclude<Need, 'public' | 'session' | 'signed-in'>, readonly Role[]> = {
	sync: ['worker', 'lead'],
	review: ['lead'],
	administer: ['admin'],
	audit: ['dpo']
};

/** Whether a user satisfies a need. Deny by default: an unknown need is refused. */
export function satisfiesNeed(need: Need, user: SessionUser | null): boolean {
	if (need === 'public') return true;
	if (!user) return false;
	if (need === 'session') return true;
	if (user.mustChangePassword) return false;
	if (need === 'signed-in') return true;
	const roles = rolesByNeed[need];
	return roles ? roles.includes(user.role) : false;
}
