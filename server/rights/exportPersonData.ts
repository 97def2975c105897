import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { auditEvents, cases, noteRevisions, notes, organisations, persons, rightsRequests, users, visits } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { requirePersonAccess } from '../policy/requireResourceAccess';
import type { UserRef } from '../policy/loadPolicySubject';
import { retentionScheduleFor } from '../retention/retentionSchedule';
import { personExportSchema, type PersonExport } from './personExportSchema';

/**
 * Right of access (art. 15) or portability (art. 20): everything about one person, in the
 * documented format (personExportSchema.ts). The policy decides (DPO of the organisation, case not
 * destroyed); the export is an audit event ('rights.export') in the same transaction as the read.
 */
export async function exportPersonData(
	db: Database,
	user: UserRef,
	input: { personId: string; purpose: 'access' | 'portability'; requestId: string | null },
	now: Date
): Promise<PersonExport> {
	const { caseId } = await requirePersonAccess(db, user, input.personId, 'audit', now);
	return db.transaction(async (tx) => {
		const data = await collectPersonData(tx, input.personId, caseId, input.purpose, now);
		await appendAuditEvent(
			tx,
			{
				action: 'rights.export',
				actorId: user.id,
				personId: input.personId,
				caseId,
				details: { purpose: input.purpose, requestId: input.requestId, notes: data.notes.length, visits: data.visits.length, accessLog: data.accessLog.length }
			},
			now
		);
		return personExportSchema.parse(data);
	});
}

export async function collectPersonData(tx: Executor, personId: string, caseId: string, purpose: 'access' | 'portability', now: Date): Promise<PersonExport> {
	const [person] = await tx.select().from(persons).where(eq(persons.id, personId));
	const [caseRow] = await tx
		.select({ id: cases.id, reference: cases.reference, measureType: cases.measureType, status: cases.status, openedAt: cases.openedAt, closedAt: cases.closedAt, lastContactAt: cases.lastContactAt, controller: organisations.name })
		.from(cases)
		.innerJoin(organisations, eq(organisations.id, cases.organisationId))
		.where(eq(cases.id, caseId));
	const full = purpose === 'access';
	const schedule = retentionScheduleFor(caseRow);

	const noteRows = full
		? await tx
				.select({ id: notes.id, kind: notes.kind, status: notes.status, sensitiveCategory: notes.sensitiveCategory, body: notes.body, authorProfession: users.profession, writtenAt: notes.createdOnDeviceAt, receivedAt: notes.receivedAt })
				.from(notes)
				.innerJoin(users, eq(users.id, notes.authorId))
				.where(eq(notes.caseId, caseId))
				.orderBy(asc(notes.createdOnDeviceAt))
		: [];
	const revisionRows = noteRows.length
		? await tx
				.select({ noteId: noteRevisions.noteId, revision: noteRevisions.revision, body: noteRevisions.body, writtenAt: noteRevisions.createdAt })
				.from(noteRevisions)
				.where(inArray(noteRevisions.noteId, noteRows.map((n) => n.id)))
				.orderBy(asc(noteRevisions.revision))
		: [];
	const visitRows = full
		? await tx
				.select({ id: visits.id, plannedAt: visits.plannedAt, status: visits.status, place: visits.place, purpose: visits.purpose })
				.from(visits)
				.where(eq(visits.caseId, caseId))
				.orderBy(asc(visits.plannedAt))
		: [];
	const requestRows = full
		? await tx
				.select({ id: rightsRequests.id, kind: rightsRequests.kind, receivedAt: rightsRequests.receivedAt, dueAt: rightsRequests.dueAt, status: rightsRequests.status, outcome: rightsRequests.outcome })
				.from(rightsRequests)
				.where(eq(rightsRequests.personId, personId))
				.orderBy(asc(rightsRequests.receivedAt))
		: [];
	const accessRows = full
		? await tx
				.select({ occurredAt: auditEvents.occurredAt, action: auditEvents.action, offline: auditEvents.offline, actorRole: users.role })
				.from(auditEvents)
				.leftJoin(users, eq(users.id, auditEvents.actorId))
				.where(or(eq(auditEvents.caseId, caseId), eq(auditEvents.personId, personId), sql`(${auditEvents.details} -> 'caseIds') @> to_jsonb(${caseId}::text)`))
				.orderBy(asc(auditEvents.occurredAt), asc(auditEvents.id))
		: [];

	return {
		format: 'carnet.person-export',
		version: 1,
		purpose,
		exportedAt: now.toISOString(),
		controller: caseRow.controller,
		person: {
			id: person.id,
			role: person.role,
			firstName: person.firstName,
			lastName: person.lastName,
			birthDate: person.birthDate,
			address: person.address,
			phone: person.phone,
			email: person.email,
			relationship: person.relationship,
			frozen: person.frozenAt !== null,
			recordedAt: person.createdAt.toISOString()
		},
		case: full
			? {
					id: caseRow.id,
					reference: caseRow.reference,
					measureType: caseRow.measureType,
					status: caseRow.status,
					openedAt: caseRow.openedAt,
					closedAt: caseRow.closedAt,
					lastContactAt: caseRow.lastContactAt?.toISOString() ?? null,
					retention: {
						rule: schedule?.rule.label ?? 'Mesure en cours : pas d’échéance tant qu’elle n’est pas close',
						reference: schedule?.rule.reference ?? '',
						archiveAt: schedule?.archiveAt.toISOString().slice(0, 10) ?? null,
						destroyAt: schedule?.destroyAt.toISOString().slice(0, 10) ?? null
					}
				}
			: null,
		notes: noteRows.map((n) => ({
			id: n.id,
			kind: n.kind,
			status: n.status,
			sensitiveCategory: n.sensitiveCategory,
			body: n.body,
			authorProfession: n.authorProfession,
			writtenAt: n.writtenAt.toISOString(),
			receivedAt: n.receivedAt.toISOString(),
			revisions: revisionRows.filter((r) => r.noteId === n.id).map((r) => ({ revision: r.revision, body: r.body, writtenAt: r.writtenAt.toISOString() }))
		})),
		visits: visitRows.map((v) => ({ ...v, plannedAt: v.plannedAt.toISOString() })),
		rightsRequests: requestRows,
		accessLog: accessRows.map((a) => ({ occurredAt: a.occurredAt.toISOString(), action: a.action, offline: a.offline, actorRole: a.actorRole ?? null }))
	};
}
