import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '../db/client';
import { cases, persons, rightsRequests } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { parisDay } from '../audit/auditStatistics';
import { requirePersonAccess } from '../policy/requireResourceAccess';
import { appError, notFoundOrNoAccess } from '../trpc/appError';
import type { UserRef } from '../policy/loadPolicySubject';
import { daysLeft, rightsDueDate } from './rightsDeadline';

export const rightsKinds = ['access', 'rectification', 'erasure', 'limitation', 'opposition', 'portability'] as const;
export type RightsKind = (typeof rightsKinds)[number];

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const newRightsRequestSchema = z.object({
	kind: z.enum(rightsKinds),
	requesterName: z.string().trim().min(1).max(200),
	receivedAt: isoDay,
	personId: z.uuid().nullable()
});

/**
 * Rights requests of the persons concerned (référentiel § 64–66): registered with the date
 * received, answered within a month, extendable once to three months with a reason. Each step
 * is an audit event; the requester's name stays in rights_requests, not in the trail.
 */
export async function registerRightsRequest(db: Database, user: UserRef & { organisationId: string }, input: z.infer<typeof newRightsRequestSchema>, now: Date) {
	if (input.receivedAt > parisDay(now)) throw appError('BAD_REQUEST', 'invalid-input', { field: 'receivedAt' });
	let caseId: string | null = null;
	if (input.personId) caseId = (await requirePersonAccess(db, user, input.personId, 'audit', now)).caseId;
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(rightsRequests)
			.values({ kind: input.kind, requesterName: input.requesterName, receivedAt: input.receivedAt, dueAt: rightsDueDate(input.receivedAt, false), personId: input.personId, createdBy: user.id, createdAt: now })
			.returning({ id: rightsRequests.id, dueAt: rightsRequests.dueAt });
		await appendAuditEvent(tx, { action: 'rights.request', actorId: user.id, personId: input.personId, caseId, details: { requestId: row.id, kind: input.kind, receivedAt: input.receivedAt, dueAt: row.dueAt } }, now);
		return row;
	});
}

/** The organisation's requests: open ones first, the most urgent on top; then the answered ones. */
export async function listRightsRequests(db: Executor, organisationId: string, now: Date) {
	const rows = await db
		.select({
			id: rightsRequests.id,
			kind: rightsRequests.kind,
			requesterName: rightsRequests.requesterName,
			receivedAt: rightsRequests.receivedAt,
			dueAt: rightsRequests.dueAt,
			extensionReason: rightsRequests.extensionReason,
			status: rightsRequests.status,
			outcome: rightsRequests.outcome,
			closedAt: rightsRequests.closedAt,
			personId: rightsRequests.personId,
			personFirstName: persons.firstName,
			personLastName: persons.lastName,
			personFrozen: sql<boolean>`${persons.frozenAt} is not null`,
			caseReference: cases.reference
		})
		.from(rightsRequests)
		.leftJoin(persons, eq(persons.id, rightsRequests.personId))
		.leftJoin(cases, eq(cases.id, persons.caseId))
		.where(sql`${rightsRequests.createdBy} in (select id from users where organisation_id = ${organisationId})`)
		.orderBy(desc(sql`${rightsRequests.status} = 'open'`), asc(rightsRequests.dueAt), desc(rightsRequests.closedAt));
	const today = parisDay(now);
	return rows.map((row) => ({
		...row,
		closedAt: row.closedAt?.toISOString() ?? null,
		personLabel: row.personFirstName ? `${row.personFirstName} ${row.personLastName}` : null,
		extended: row.extensionReason !== null,
		daysLeft: row.status === 'open' ? daysLeft(row.dueAt, today) : null
	}));
}

/** Extends the deadline to three months from receipt, once, with the reason told to the person. */
export async function extendRightsRequest(db: Database, user: UserRef & { organisationId: string }, input: { id: string; reason: string }, now: Date) {
	return db.transaction(async (tx) => {
		const request = await loadOwnRequest(tx, user.organisationId, input.id);
		if (request.status !== 'open') throw appError('CONFLICT', 'request-closed');
		if (request.extensionReason !== null) throw appError('CONFLICT', 'deadline-already-extended');
		const dueAt = rightsDueDate(request.receivedAt, true);
		await tx.update(rightsRequests).set({ dueAt, extensionReason: input.reason }).where(eq(rightsRequests.id, input.id));
		await appendAuditEvent(tx, { action: 'rights.extend', actorId: user.id, personId: request.personId, details: { requestId: input.id, dueAt, reason: input.reason } }, now);
		return { dueAt };
	});
}

/** Records the answer: done or refused (with the reason, which the person may bring to the CNIL). */
export async function closeRightsRequest(db: Database, user: UserRef & { organisationId: string }, input: { id: string; status: 'done' | 'refused'; outcome: string }, now: Date) {
	return db.transaction(async (tx) => {
		const request = await loadOwnRequest(tx, user.organisationId, input.id);
		if (request.status !== 'open') throw appError('CONFLICT', 'request-closed');
		await tx.update(rightsRequests).set({ status: input.status, outcome: input.outcome, closedAt: now }).where(eq(rightsRequests.id, input.id));
		await appendAuditEvent(tx, { action: 'rights.close', actorId: user.id, personId: request.personId, details: { requestId: input.id, status: input.status, late: request.dueAt < parisDay(now) } }, now);
		return { ok: true as const };
	});
}

/** A request of the reader's organisation (registered by one of its users), or "not found". */
export async function loadOwnRequest(db: Executor, organisationId: string, id: string) {
	const [row] = await db
		.select()
		.from(rightsRequests)
		.where(and(eq(rightsRequests.id, id), sql`${rightsRequests.createdBy} in (select id from users where organisation_id = ${organisationId})`));
	if (!row) throw notFoundOrNoAccess();
	return row;
}
