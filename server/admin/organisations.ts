import { asc, count, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { organisations, teams, users } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { notFoundOrNoAccess } from '../trpc/appError';
import { administeredOrganisationIds } from '../policy/adminScope';
import type { PolicySubject } from '../policy/loadPolicySubject';

/** Organisations (a provider is its own), their teams and how many accounts each team has. */
export async function listOrganisations(db: Executor, admin: PolicySubject) {
	const orgIds = [...(await administeredOrganisationIds(db, admin))];
	if (orgIds.length === 0) return [];
	const orgRows = await db
		.select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
		.from(organisations)
		.where(inArray(organisations.id, orgIds))
		.orderBy(asc(organisations.name));
	const teamRows = await db
		.select({ id: teams.id, organisationId: teams.organisationId, name: teams.name })
		.from(teams)
		.where(inArray(teams.organisationId, orgIds))
		.orderBy(asc(teams.name));
	const sizes = await db.select({ teamId: users.teamId, n: count() }).from(users).where(inArray(users.organisationId, orgIds)).groupBy(users.teamId);
	const sizeOf = new Map(sizes.map((s) => [s.teamId, s.n]));
	const accountsOf = await db.select({ organisationId: users.organisationId, n: count() }).from(users).where(inArray(users.organisationId, orgIds)).groupBy(users.organisationId);
	const accountsMap = new Map(accountsOf.map((a) => [a.organisationId, a.n]));
	return orgRows.map((o) => ({
		...o,
		accounts: accountsMap.get(o.id) ?? 0,
		teams: teamRows.filter((t) => t.organisationId === o.id).map((t) => ({ id: t.id, name: t.name, accounts: sizeOf.get(t.id) ?? 0 }))
	}));
}

export async function createOrganisation(db: Database, admin: PolicySubject, input: { name: string; kind: 'association' | 'provider' | 'department' }, now: Date) {
	return db.transaction(async (tx) => {
		const [row] = await tx.insert(organisations).values({ name: input.name.trim(), kind: input.kind, createdAt: now }).returning({ id: organisations.id });
		await appendAuditEvent(tx, { action: 'organisation.create', actorId: admin.id, details: { organisationId: row.id, name: input.name.trim(), kind: input.kind } }, now);
		return { organisationId: row.id };
	});
}

export async function createTeam(db: Database, admin: PolicySubject, input: { organisationId: string; name: string }, now: Date) {
	if (!(await administeredOrganisationIds(db, admin)).has(input.organisationId)) throw notFoundOrNoAccess();
	return db.transaction(async (tx) => {
		const [row] = await tx.insert(teams).values({ organisationId: input.organisationId, name: input.name.trim(), createdAt: now }).returning({ id: teams.id });
		await appendAuditEvent(tx, { action: 'team.create', actorId: admin.id, details: { teamId: row.id, organisationId: input.organisationId, name: input.name.trim() } }, now);
		return { teamId: row.id };
	});
}
