import { asc, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { organisations, teams, users } from '../db/schema';
import type { Role, SensitiveCategory } from '../../src/lib/shared/domain';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { hashPassword } from '../auth/password';
import { appError, notFoundOrNoAccess } from '../trpc/appError';
import { administeredOrganisationIds } from '../policy/adminScope';
import type { PolicySubject } from '../policy/loadPolicySubject';
import { generateTemporaryPassword } from './generateTemporaryPassword';
import { updateAccountAtVersion } from './updateAccountAtVersion';

/** Accounts of the organisations the administrator manages; no password hash, no case data. */
export async function listAccounts(db: Executor, admin: PolicySubject) {
	const orgIds = [...(await administeredOrganisationIds(db, admin))];
	if (orgIds.length === 0) return [];
	const rows = await db
		.select({
			id: users.id,
			username: users.username,
			displayName: users.displayName,
			role: users.role,
			profession: users.profession,
			organisationId: users.organisationId,
			organisationName: organisations.name,
			teamId: users.teamId,
			teamName: teams.name,
			habilitations: users.habilitations,
			mustChangePassword: users.mustChangePassword,
			lockedUntil: users.lockedUntil,
			disabledAt: users.disabledAt,
			lastLoginAt: users.lastLoginAt,
			lastReviewAt: users.lastReviewAt,
			version: users.version
		})
		.from(users)
		.innerJoin(organisations, eq(organisations.id, users.organisationId))
		.leftJoin(teams, eq(teams.id, users.teamId))
		.where(inArray(users.organisationId, orgIds))
		.orderBy(asc(users.displayName));
	return rows.map((r) => ({
		...r,
		lockedUntil: r.lockedUntil?.toISOString() ?? null,
		disabledAt: r.disabledAt?.toISOString() ?? null,
		lastLoginAt: r.lastLoginAt?.toISOString() ?? null,
		lastReviewAt: r.lastReviewAt?.toISOString() ?? null
	}));
}

/** Creates an account with a temporary password, returned once and never stored in clear. */
export async function createAccount(db: Database, admin: PolicySubject, input: AccountFields & { username: string; organisationId: string }, now: Date) {
	if (!(await administeredOrganisationIds(db, admin)).has(input.organisationId)) throw notFoundOrNoAccess();
	await checkTeam(db, input.teamId, input.organisationId);
	const username = input.username.trim().toLowerCase();
	const temporaryPassword = generateTemporaryPassword();
	const passwordHash = await hashPassword(temporaryPassword);
	return db.transaction(async (tx) => {
		const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username));
		if (taken) throw appError('CONFLICT', 'username-taken');
		const [row] = await tx
			.insert(users)
			.values({
				organisationId: input.organisationId,
				teamId: input.teamId,
				username,
				displayName: input.displayName.trim(),
				role: input.role,
				profession: input.profession?.trim() || null,
				habilitations: [...new Set(input.habilitations)],
				passwordHash,
				mustChangePassword: true,
				createdAt: now
			})
			.returning({ id: users.id, version: users.version });
		await appendAuditEvent(tx, {
			action: 'account.create',
			actorId: admin.id,
			details: { userId: row.id, username, role: input.role, teamId: input.teamId, organisationId: input.organisationId, habilitations: input.habilitations }
		}, now);
		return { userId: row.id, version: row.version, username, temporaryPassword };
	});
}

/** Role, profession, team, display name and sensitive habilitations, at the version the administrator saw. */
export async function updateAccount(db: Database, admin: PolicySubject, input: AccountFields & { userId: string; version: number }, now: Date) {
	return db.transaction(async (tx) => {
		const [target] = await tx.select({ organisationId: users.organisationId }).from(users).where(eq(users.id, input.userId));
		if (!target || !(await administeredOrganisationIds(tx, admin)).has(target.organisationId)) throw notFoundOrNoAccess();
		await checkTeam(tx, input.teamId, target.organisationId);
		if (input.userId === admin.id && input.role !== 'admin') throw appError('BAD_REQUEST', 'cannot-disable-self');
		const next = {
			displayName: input.displayName.trim(),
			role: input.role,
			profession: input.profession?.trim() || null,
			teamId: input.teamId,
			habilitations: [...new Set(input.habilitations)].sort()
		};
		const { before, version } = await updateAccountAtVersion(tx, admin, input.userId, input.version, next);
		const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => String(k === 'habilitations' ? before.habilitations.slice().sort() : before[k]) !== String(next[k]));
		await appendAuditEvent(tx, {
			action: 'account.update',
			actorId: admin.id,
			details: {
				userId: input.userId,
				changed,
				role: { from: before.role, to: input.role },
				teamId: { from: before.teamId, to: input.teamId },
				habilitations: { from: before.habilitations, to: next.habilitations }
			}
		}, now);
		return { version };
	});
}

async function checkTeam(db: Executor, teamId: string | null, organisationId: string) {
	if (!teamId) return;
	const [team] = await db.select({ organisationId: teams.organisationId }).from(teams).where(eq(teams.id, teamId));
	if (!team) throw notFoundOrNoAccess();
	if (team.organisationId !== organisationId) throw appError('BAD_REQUEST', 'team-organisation-mismatch');
}

export interface AccountFields {
	displayName: string;
	role: Role;
	profession?: string | null;
	teamId: string | null;
	habilitations: SensitiveCategory[];
}
