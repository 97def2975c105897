import { and, asc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { assignments, cases, teams, users } from '../db/schema';
import type { AssignmentRole } from '../../src/lib/shared/domain';
import { leadTeamCaseIds, leadTeamMemberIds } from '../policy/leadScope';
import type { PolicySubject } from '../policy/loadPolicySubject';

/** A case with no contact for longer than this is flagged on the team view. */
export const NO_CONTACT_DAYS = 60;
const DAY_MS = 86_400_000;

/**
 * Who holds which case in the lead's team: case reference and measure only (no person names),
 * the current assignments, caseload sizes, and the cases with no referent or no recent contact.
 */
export async function teamOverview(db: Executor, lead: PolicySubject, now: Date) {
	const caseIds = [...(await leadTeamCaseIds(db, lead, now))];
	const memberIds = [...(await leadTeamMemberIds(db, lead))];
	const [team] = lead.teamId ? await db.select({ name: teams.name }).from(teams).where(eq(teams.id, lead.teamId)) : [];

	const caseRows = caseIds.length
		? await db
				.select({ id: cases.id, reference: cases.reference, measureType: cases.measureType, status: cases.status, openedAt: cases.openedAt, lastContactAt: cases.lastContactAt })
				.from(cases)
				.where(inArray(cases.id, caseIds))
				.orderBy(asc(cases.reference))
		: [];
	const holderRows = caseIds.length
		? await db
				.select({
					assignmentId: assignments.id,
					caseId: assignments.caseId,
					userId: assignments.userId,
					displayName: users.displayName,
					organisationId: users.organisationId,
					role: assignments.role,
					startsAt: assignments.startsAt,
					endsAt: assignments.endsAt
				})
				.from(assignments)
				.innerJoin(users, eq(users.id, assignments.userId))
				.where(and(inArray(assignments.caseId, caseIds), lte(assignments.startsAt, now), or(isNull(assignments.endsAt), gt(assignments.endsAt, now))))
		: [];
	const memberRows = memberIds.length
		? await db
				.select({ id: users.id, displayName: users.displayName, profession: users.profession, role: users.role })
				.from(users)
				.where(inArray(users.id, memberIds))
				.orderBy(asc(users.displayName))
		: [];

	const noContactBefore = now.getTime() - NO_CONTACT_DAYS * DAY_MS;
	const teamCases = caseRows.map((c) => {
		const holders = holderRows
			.filter((h) => h.caseId === c.id)
			.sort((a, b) => roleRank[a.role] - roleRank[b.role])
			.map((h) => ({
				assignmentId: h.assignmentId,
				userId: h.userId,
				displayName: h.displayName,
				role: h.role,
				otherOrganisation: h.organisationId !== lead.organisationId,
				endsAt: h.endsAt?.toISOString() ?? null
			}));
		return {
			id: c.id,
			reference: c.reference,
			measureType: c.measureType,
			status: c.status,
			lastContactAt: c.lastContactAt?.toISOString() ?? null,
			holders,
			noReferent: c.status === 'open' && !holders.some((h) => h.role === 'referent'),
			noRecentContact: c.status === 'open' && (c.lastContactAt === null || c.lastContactAt.getTime() < noContactBefore)
		};
	});

	const load = new Map<string, { userId: string; displayName: string; profession: string | null; member: boolean; referent: number; total: number }>();
	for (const m of memberRows) load.set(m.id, { userId: m.id, displayName: m.displayName, profession: m.profession, member: true, referent: 0, total: 0 });
	for (const h of holderRows) {
		const entry = load.get(h.userId) ?? { userId: h.userId, displayName: h.displayName, profession: null, member: false, referent: 0, total: 0 };
		entry.total += 1;
		if (h.role === 'referent') entry.referent += 1;
		load.set(h.userId, entry);
	}

	return {
		teamName: team?.name ?? null,
		cases: teamCases,
		caseloads: [...load.values()].sort((a, b) => b.total - a.total || a.displayName.localeCompare(b.displayName, 'fr')),
		members: memberRows
	};
}

const roleRank: Record<AssignmentRole, number> = { referent: 0, co_referent: 1, intervenant: 2 };
