import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { users } from '../db/schema';
import { appError, notFoundOrNoAccess } from '../trpc/appError';
import { administeredOrganisationIds } from '../policy/adminScope';
import type { PolicySubject } from '../policy/loadPolicySubject';

type UserChanges = Partial<typeof users.$inferInsert>;

/**
 * Optimistic concurrency on accounts: every administrator edit names the `version` it was made
 * on. If someone changed the account since (another administrator, or the user signing in), the
 * edit is refused with 'account-conflict' and the administrator reloads: nothing is silently
 * overwritten. Returns the account as it was before and the new version.
 */
export async function updateAccountAtVersion(tx: Executor, admin: PolicySubject, userId: string, version: number, changes: UserChanges) {
	const before = await lockAccount(tx, admin, userId);
	if (before.version !== version) throw appError('CONFLICT', 'account-conflict', { currentVersion: before.version });
	const [row] = await tx
		.update(users)
		.set(changes)
		.where(and(eq(users.id, userId), eq(users.version, version)))
		.returning({ version: users.version });
	if (!row) throw appError('CONFLICT', 'account-conflict');
	return { before, version: row.version };
}

/** The account row locked for update, if the administrator manages its organisation. */
export async function lockAccount(tx: Executor, admin: PolicySubject, userId: string) {
	const [row] = await tx
		.select({
			id: users.id,
			organisationId: users.organisationId,
			username: users.username,
			role: users.role,
			teamId: users.teamId,
			profession: users.profession,
			displayName: users.displayName,
			habilitations: users.habilitations,
			disabledAt: users.disabledAt,
			version: users.version
		})
		.from(users)
		.where(eq(users.id, userId))
		.for('update');
	if (!row || !(await administeredOrganisationIds(tx, admin)).has(row.organisationId)) throw notFoundOrNoAccess();
	return row;
}
