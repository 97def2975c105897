import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { reusableQuery } from '../db/reusableQuery';
import { users } from '../db/schema';
import type { Role, SensitiveCategory } from '../../src/lib/shared/domain';

/**
 * The user as the policy sees them, read from the database on every decision: a role change,
 * a lost habilitation or a disabled account takes effect at once, whatever the session holds.
 */
export async function loadPolicySubject(db: Executor, userId: string): Promise<PolicySubject | null> {
	const [row] = await subjectRow(db, { userId });
	return row ? toPolicySubject(row) : null;
}

/** The user columns the policy reads (also embedded in sync.pull's one statement, pullHead.ts). */
export const policySubjectColumns = {
	id: users.id,
	organisationId: users.organisationId,
	teamId: users.teamId,
	role: users.role,
	displayName: users.displayName,
	habilitations: users.habilitations,
	disabledAt: users.disabledAt
};

export function toPolicySubject(row: { id: string; organisationId: string; teamId: string | null; role: Role; displayName: string; habilitations: SensitiveCategory[]; disabledAt: Date | null }): PolicySubject {
	const { id, organisationId, teamId, role, displayName, habilitations, disabledAt } = row;
	return { id, organisationId, teamId, role, displayName, habilitations, disabled: disabledAt !== null };
}

/** Rendered once per process (server/db/reusableQuery.ts): this runs on every decision. */
const subjectRow = reusableQuery((db) =>
	db
		.select(policySubjectColumns)
		.from(users)
		.where(eq(users.id, sql.placeholder('userId')))
);

export interface PolicySubject {
	id: string;
	organisationId: string;
	teamId: string | null;
	role: Role;
	displayName: string;
	habilitations: SensitiveCategory[];
	disabled: boolean;
}

/** Anything that names a user: a SessionUser, a PolicySubject. */
export interface UserRef {
	id: string;
}
