import { and, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { auditEvents } from '../db/schema';
import { loadPolicySubject, type UserRef } from '../policy/loadPolicySubject';
import { appError } from '../trpc/appError';

/**
 * Which audit events a reader may search: for the DPO of an organisation, the events of its
 * users, the events about its cases (whoever the actor, a provider's TISF included) and the
 * system events (no actor, no case: runs, seed, unknown-user logins). Anyone else: nothing.
 * The role and the organisation are read from the database now (server/policy), never from the
 * session.
 */
export async function auditScopeFor(db: Executor, user: UserRef): Promise<AuditScope | null> {
	const subject = await loadPolicySubject(db, user.id);
	if (!subject || subject.disabled || subject.role !== 'dpo') return null;
	const org = subject.organisationId;
	const condition = or(
		sql`${auditEvents.actorId} in (select id from users where organisation_id = ${org})`,
		sql`${auditEvents.caseId} in (select id from cases where organisation_id = ${org})`,
		and(isNull(auditEvents.actorId), isNull(auditEvents.caseId))
	) as SQL;
	return { organisationId: org, condition };
}

export interface AuditScope {
	organisationId: string;
	condition: SQL;
}

/** auditScopeFor, or the refusal every other denial gives. */
export async function requireAuditScope(db: Executor, user: UserRef): Promise<AuditScope> {
	const scope = await auditScopeFor(db, user);
	if (!scope) throw appError('FORBIDDEN', 'forbidden');
	return scope;
}
