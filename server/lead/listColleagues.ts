import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { teams, users } from '../db/schema';
import type { PolicySubject } from '../policy/loadPolicySubject';

/** Active field staff of the lead's organisation: whom a lead may assign or name as suppléant. */
export async function listColleagues(db: Executor, lead: PolicySubject) {
	return db
		.select({ id: users.id, displayName: users.displayName, profession: users.profession, role: users.role, teamId: users.teamId, teamName: teams.name })
		.from(users)
		.leftJoin(teams, eq(teams.id, users.teamId))
		.where(and(eq(users.organisationId, lead.organisationId), isNull(users.disabledAt), inArray(users.role, ['worker', 'lead'])))
		.orderBy(asc(users.displayName));
}
