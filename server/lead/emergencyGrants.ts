import { and, desc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { cases, emergencyGrants, users } from '../db/schema';
import { limits } from '../../src/lib/shared/domain';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { appError, notFoundOrNoAccess } from '../trpc/appError';
import { checkEmergencyRequest } from '../policy/emergencyRules';
import { leadOversees, leadTeamCaseIds, leadTeamMemberIds } from '../policy/leadScope';
import type { PolicySubject } from '../policy/loadPolicySubject';

const HOUR_MS = 3_600_000;
/** Expired grants stay on the lead's list this long. */
const RECENT_MS = 7 * 24 * HOUR_MS;

/**
 * Break the glass, for oneself: online only (this is a server call), a reason, two hours. The
 * grant is written with its audit event in one transaction; the lead sees it on their list.
 */
export async function requestEmergencyAccess(db: Database, requester: PolicySubject, input: { caseReference: string; reason: string }, now: Date) {
	const reason = input.reason.trim();
	if (!reason) throw appError('BAD_REQUEST', 'reason-required');
	const decision = await checkEmergencyRequest(db, requester, input.caseReference.trim(), now);
	if (!decision.ok) throw decision.reason === 'emergency-not-needed' ? appError('BAD_REQUEST', decision.reason) : notFoundOrNoAccess();
	const expiresAt = new Date(now.getTime() + limits.emergencyGrantHours * HOUR_MS);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(emergencyGrants)
			.values({ userId: requester.id, caseId: decision.caseId, reason, grantedAt: now, expiresAt, createdBy: requester.id })
			.returning({ id: emergencyGrants.id });
		await appendAuditEvent(tx, {
			action: 'emergency.grant',
			actorId: requester.id,
			caseId: decision.caseId,
			details: { grantId: row.id, reason, expiresAt: expiresAt.toISOString() }
		}, now);
		return { grantId: row.id, caseId: decision.caseId, expiresAt: expiresAt.toISOString() };
	});
}

/** Grants to members of the lead's team or on the team's cases: active ones and those of the last 7 days. */
export async function listEmergencyGrantsForLead(db: Executor, lead: PolicySubject, now: Date) {
	const members = [...(await leadTeamMemberIds(db, lead, true))];
	const caseIds = [...(await leadTeamCaseIds(db, lead, now))];
	if (members.length === 0 && caseIds.length === 0) return [];
	const rows = await db
		.select({
			id: emergencyGrants.id,
			userId: emergencyGrants.userId,
			userName: users.displayName,
			caseId: emergencyGrants.caseId,
			caseReference: cases.reference,
			reason: emergencyGrants.reason,
			grantedAt: emergencyGrants.grantedAt,
			expiresAt: emergencyGrants.expiresAt,
			revokedAt: emergencyGrants.revokedAt
		})
		.from(emergencyGrants)
		.innerJoin(users, eq(users.id, emergencyGrants.userId))
		.innerJoin(cases, eq(cases.id, emergencyGrants.caseId))
		.where(
			and(
				or(members.length ? inArray(emergencyGrants.userId, members) : undefined, caseIds.length ? inArray(emergencyGrants.caseId, caseIds) : undefined),
				gt(emergencyGrants.expiresAt, new Date(now.getTime() - RECENT_MS))
			)
		)
		.orderBy(desc(emergencyGrants.grantedAt));
	return rows.map((r) => ({
		...r,
		active: !r.revokedAt && r.expiresAt.getTime() > now.getTime() && r.grantedAt.getTime() <= now.getTime(),
		grantedAt: r.grantedAt.toISOString(),
		expiresAt: r.expiresAt.toISOString(),
		revokedAt: r.revokedAt?.toISOString() ?? null
	}));
}

/** The lead ends a grant before its two hours: the case leaves the worker's devices at the next pull. */
export async function revokeEmergencyGrant(db: Database, lead: PolicySubject, grantId: string, now: Date) {
	const [row] = await db
		.select({ userId: emergencyGrants.userId, caseId: emergencyGrants.caseId, expiresAt: emergencyGrants.expiresAt, revokedAt: emergencyGrants.revokedAt })
		.from(emergencyGrants)
		.where(eq(emergencyGrants.id, grantId));
	if (!row || row.revokedAt || row.expiresAt.getTime() <= now.getTime() || !(await leadOversees(db, lead, row, now))) throw notFoundOrNoAccess();
	return db.transaction(async (tx) => {
		await tx.update(emergencyGrants).set({ revokedAt: now }).where(and(eq(emergencyGrants.id, grantId), isNull(emergencyGrants.revokedAt)));
		await appendAuditEvent(tx, { action: 'emergency.revoke', actorId: lead.id, caseId: row.caseId, details: { grantId, userId: row.userId } }, now);
		return { ok: true as const };
	});
}
