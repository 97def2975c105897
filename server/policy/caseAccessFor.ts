import { and, eq, gt, inArray, isNull, lte, or, sql, type Placeholder } from 'drizzle-orm';
import { alias, unionAll } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client';
import { reusableQuery } from '../db/reusableQuery';
import { assignments, cases, delegations, emergencyGrants, users } from '../db/schema';
import type { CaseAccess } from '../../src/lib/shared/records';
import type { AssignmentRole, CaseStatus } from '../../src/lib/shared/domain';
import { loadPolicySubject, type PolicySubject, type UserRef } from './loadPolicySubject';

/** Statuses whose content anyone but the DPO may ever see: archived and destroyed cases leave every device. */
export const liveCaseStatuses = ['open', 'closed'] as const satisfies readonly CaseStatus[];

/**
 * For each case the user may read now, why: an assignment, a delegation (suppléance), an
 * emergency grant, or, for a lead, their team. Computed from the database on every call.
 * Administrators and the DPO get nothing here: they never see case content through this path.
 */
export async function caseAccessFor(db: Executor, user: UserRef, now: Date): Promise<Map<string, CaseAccess>> {
	const subject = await loadPolicySubject(db, user.id);
	if (!subject) return new Map();
	return accessMap(await listCaseGrants(db, subject, now));
}

/**
 * The cases a field device may hold: the same as caseAccessFor without a lead's team view,
 * which is for online review and not cached offline by default.
 */
export async function deviceCaseAccessFor(db: Executor, user: UserRef, now: Date): Promise<Map<string, CaseAccess>> {
	const subject = await loadPolicySubject(db, user.id);
	if (!subject) return new Map();
	return accessMap((await listCaseGrants(db, subject, now)).filter((g) => g.access.kind !== 'team'));
}

function accessMap(grants: CaseGrant[]): Map<string, CaseAccess> {
	return new Map(grants.map((g) => [g.caseId, g.access]));
}

const assignmentRank: Record<AssignmentRole, number> = { referent: 0, co_referent: 1, intervenant: 2 };
const kindRank: Record<CaseAccess['kind'], number> = { assignment: 0, delegation: 1, emergency: 2, team: 3 };

/** One grant per case, the strongest reason first (assignment, delegation, emergency, team). */
export async function listCaseGrants(db: Executor, subject: PolicySubject, now: Date): Promise<CaseGrant[]> {
	if (subject.disabled) return [];
	if (subject.role !== 'worker' && subject.role !== 'lead') return [];

	const rows = await grantRows(db, {
		userId: subject.id,
		now: now.toISOString(),
		// A lead also reads their team's cases; for anyone else the team branch matches nothing.
		teamId: subject.role === 'lead' ? subject.teamId : null,
		organisationId: subject.organisationId
	});
	const found: CaseGrant[] = rows.map((row) => ({
		...pickCase(row),
		access: { kind: row.kind, role: row.role, until: iso(row.until), coveringFor: row.kind === 'delegation' ? row.coveringFor : null }
	}));

	const best = new Map<string, CaseGrant>();
	for (const grant of found) {
		const current = best.get(grant.caseId);
		if (!current || compareGrants(grant, current) < 0) best.set(grant.caseId, grant);
	}
	return [...best.values()];
}

const caseColumns = { caseId: cases.id, status: cases.status, teamId: cases.teamId, organisationId: cases.organisationId };
// Each branch names its kind; `until` maps to a Date by the first branch's column.
const kind = (k: CaseAccess['kind']) => sql<CaseAccess['kind']>`${k}::text`.as('kind');
const noRole = () => sql<AssignmentRole | null>`null`.as('role');
const noOne = () => sql<string | null>`null::text`.as('covering_for');
const liveCase = () => inArray(cases.status, [...liveCaseStatuses]);

/**
 * The grants a field device may hold, as the branches of one UNION ALL (assignments,
 * delegations, emergency grants; a lead's team view is added by listCaseGrants). The user and
 * the time may be placeholders: sync.pull's prepared statement (pullHead.ts) embeds the same
 * branches, so that there is one definition of who may hold which case.
 */
export function caseGrantBranches(db: Executor, who: { userId: string | Placeholder; now: Date | Placeholder }) {
	const { userId, now } = who;
	const activeAssignment = and(lte(assignments.startsAt, now), or(isNull(assignments.endsAt), gt(assignments.endsAt, now)));

	const assigned = db
		.select({ ...caseColumns, kind: kind('assignment'), role: sql<AssignmentRole | null>`${assignments.role}`.as('role'), until: assignments.endsAt, coveringFor: noOne() })
		.from(assignments)
		.innerJoin(cases, eq(cases.id, assignments.caseId))
		.where(and(eq(assignments.userId, userId), activeAssignment, liveCase()));

	const absent = alias(users, 'absent_user');
	const covered = db
		.select({
			...caseColumns,
			kind: kind('delegation'),
			role: sql<AssignmentRole | null>`${assignments.role}`.as('role'),
			until: delegations.endsAt,
			coveringFor: sql<string | null>`${absent.displayName}`.as('covering_for')
		})
		.from(delegations)
		.innerJoin(absent, eq(absent.id, delegations.fromUserId))
		.innerJoin(assignments, eq(assignments.userId, delegations.fromUserId))
		.innerJoin(cases, eq(cases.id, assignments.caseId))
		.where(
			and(
				eq(delegations.toUserId, userId),
				lte(delegations.startsAt, now),
				gt(delegations.endsAt, now),
				isNull(delegations.revokedAt),
				activeAssignment,
				liveCase()
			)
		);

	const emergencies = db
		.select({ ...caseColumns, kind: kind('emergency'), role: noRole(), until: emergencyGrants.expiresAt, coveringFor: noOne() })
		.from(emergencyGrants)
		.innerJoin(cases, eq(cases.id, emergencyGrants.caseId))
		.where(
			and(
				eq(emergencyGrants.userId, userId),
				lte(emergencyGrants.grantedAt, now),
				gt(emergencyGrants.expiresAt, now),
				isNull(emergencyGrants.revokedAt),
				liveCase()
			)
		);
	return [assigned, covered, emergencies] as const;
}

/**
 * Every grant of a user in one statement (a sync runs this on each pull and each pushed
 * mutation), rendered once per process: the device branches and a lead's team view.
 */
const grantRows = reusableQuery((db) => {
	const p = { userId: sql.placeholder('userId'), now: sql.placeholder('now'), teamId: sql.placeholder('teamId'), organisationId: sql.placeholder('organisationId') };
	const [assigned, covered, emergencies] = caseGrantBranches(db, { userId: p.userId, now: p.now });
	const team = db
		.select({ ...caseColumns, kind: kind('team'), role: noRole(), until: sql<Date | null>`null::timestamptz`.as('until'), coveringFor: noOne() })
		.from(cases)
		.where(and(sql`${cases.teamId} = ${p.teamId}::uuid`, sql`${cases.organisationId} = ${p.organisationId}::uuid`, liveCase()));
	return unionAll(assigned, covered, emergencies, team);
});

/** Negative when `a` is the stronger reason: by kind, then assignment role, then the later end. */
function compareGrants(a: CaseGrant, b: CaseGrant): number {
	const byKind = kindRank[a.access.kind] - kindRank[b.access.kind];
	if (byKind !== 0) return byKind;
	const byRole = (a.access.role ? assignmentRank[a.access.role] : 3) - (b.access.role ? assignmentRank[b.access.role] : 3);
	if (byRole !== 0) return byRole;
	const end = (g: CaseGrant) => (g.access.until === null ? Number.MAX_SAFE_INTEGER : Date.parse(g.access.until));
	return Math.sign(end(b) - end(a));
}

function pickCase(row: { caseId: string; status: CaseStatus; teamId: string | null; organisationId: string }) {
	return { caseId: row.caseId, status: row.status, teamId: row.teamId, organisationId: row.organisationId };
}

function iso(date: Date | null): string | null {
	return date ? date.toISOString() : null;
}

/** A case the user may read, with the case fields later checks need and the reason. */
export interface CaseGrant {
	caseId: string;
	status: CaseStatus;
	teamId: string | null;
	organisationId: string;
	access: CaseAccess;
}
