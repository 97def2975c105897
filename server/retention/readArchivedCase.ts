import { and, asc, desc, eq } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { cases, notes, persons, users, visits } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { requireCaseAccess } from '../policy/checkCaseAccess';
import { notFoundOrNoAccess } from '../trpc/appError';
import type { UserRef } from '../policy/loadPolicySubject';
import { retentionScheduleFor } from './retentionSchedule';

/** The organisation's cases in intermediate archive, with their destruction date. */
export async function listArchivedCases(db: Executor, organisationId: string) {
	const rows = await db
		.select({ id: cases.id, reference: cases.reference, measureType: cases.measureType, status: cases.status, closedAt: cases.closedAt, lastContactAt: cases.lastContactAt, archivedAt: cases.archivedAt })
		.from(cases)
		.where(and(eq(cases.organisationId, organisationId), eq(cases.status, 'archived')))
		.orderBy(desc(cases.archivedAt), asc(cases.reference));
	return rows.map((row) => ({
		caseId: row.id,
		reference: row.reference,
		measureType: row.measureType,
		closedAt: row.closedAt,
		archivedAt: row.archivedAt?.toISOString() ?? null,
		destroyAt: retentionScheduleFor(row)?.destroyAt.toISOString() ?? null
	}));
}

/**
 * Reading an archived case: the DPO only (référentiel § 48, "seulement par des personnes
 * spécialement habilitées"), with a reason, and audited in the same transaction as the read.
 * The policy decides the organisation scope; anything but an archived case answers like a
 * missing one, so this is never a way around need-to-know on live cases.
 */
export async function readArchivedCase(db: Database, user: UserRef, input: { caseId: string; reason: string }, now: Date) {
	return db.transaction((tx) => readInTransaction(tx, user, input, now));
}

async function readInTransaction(db: Executor, user: UserRef, input: { caseId: string; reason: string }, now: Date) {
	const decision = await requireCaseAccess(db, user, input.caseId, 'audit', now);
	if (decision.status !== 'archived') throw notFoundOrNoAccess();
	const [caseRow] = await db
		.select({ id: cases.id, reference: cases.reference, measureType: cases.measureType, openedAt: cases.openedAt, closedAt: cases.closedAt, lastContactAt: cases.lastContactAt, archivedAt: cases.archivedAt })
		.from(cases)
		.where(eq(cases.id, input.caseId));
	const personRows = await db
		.select({ id: persons.id, role: persons.role, firstName: persons.firstName, lastName: persons.lastName, birthDate: persons.birthDate, address: persons.address, phone: persons.phone, email: persons.email, relationship: persons.relationship, frozenAt: persons.frozenAt })
		.from(persons)
		.where(eq(persons.caseId, input.caseId))
		.orderBy(asc(persons.lastName), asc(persons.firstName));
	const noteRows = await db
		.select({ id: notes.id, kind: notes.kind, body: notes.body, sensitiveCategory: notes.sensitiveCategory, status: notes.status, authorName: users.displayName, createdOnDeviceAt: notes.createdOnDeviceAt })
		.from(notes)
		.innerJoin(users, eq(users.id, notes.authorId))
		.where(eq(notes.caseId, input.caseId))
		.orderBy(asc(notes.createdOnDeviceAt));
	const visitRows = await db
		.select({ id: visits.id, plannedAt: visits.plannedAt, status: visits.status, place: visits.place, purpose: visits.purpose })
		.from(visits)
		.where(eq(visits.caseId, input.caseId))
		.orderBy(asc(visits.plannedAt));
	await appendAuditEvent(
		db,
		{ action: 'retention.archive.read', actorId: user.id, caseId: input.caseId, details: { reason: input.reason, persons: personRows.length, notes: noteRows.length, visits: visitRows.length } },
		now
	);
	return {
		case: { ...caseRow, lastContactAt: caseRow.lastContactAt?.toISOString() ?? null, archivedAt: caseRow.archivedAt?.toISOString() ?? null },
		persons: personRows.map(({ frozenAt, ...p }) => ({ ...p, frozen: frozenAt !== null })),
		notes: noteRows.map((n) => ({ ...n, createdOnDeviceAt: n.createdOnDeviceAt.toISOString() })),
		visits: visitRows.map((v) => ({ ...v, plannedAt: v.plannedAt.toISOString() }))
	};
}
