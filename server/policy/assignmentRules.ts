import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { users } from '../db/schema';

/**
 * Who may be assigned to a case: an active worker or lead. Someone of another organisation (a
 * provider's TISF) only with an explicit `crossOrganisation` flag, so that nobody shares a
 * case across organisations by picking the wrong name.
 */
export async function checkAssignee(
	db: Executor,
	input: { userId: string; caseOrganisationId: string; crossOrganisation: boolean }
): Promise<AssigneeDecision> {
	const [user] = await db
		.select({ id: users.id, organisationId: users.organisationId, role: users.role, disabledAt: users.disabledAt })
		.from(users)
		.where(eq(users.id, input.userId));
	if (!user || user.disabledAt || (user.role !== 'worker' && user.role !== 'lead')) return { ok: false, reason: 'not-found-or-no-access' };
	const crossing = user.organisationId !== input.caseOrganisationId;
	if (crossing && !input.crossOrganisation) return { ok: false, reason: 'cross-organisation-required' };
	return { ok: true, crossOrganisation: crossing };
}

export type AssigneeDecision =
	| { ok: true; crossOrganisation: boolean }
	| { ok: false; reason: 'not-found-or-no-access' | 'cross-organisation-required' };
