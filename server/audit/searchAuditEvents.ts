import { and, desc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../db/client';
import { auditEvents, cases, devices, persons, users } from '../db/schema';
import type { AuditScope } from './auditScopeFor';

/** Days of the period are calendar days in France (a constant, inlined so GROUP BY sees one expression). */
export const AUDIT_TIME_ZONE = 'Europe/Paris';
export const auditTimeZone = sql.raw(`'${AUDIT_TIME_ZONE}'`);

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const auditFiltersSchema = z.object({
	/** A case reference (AN-2025-001) or id. */
	caseQuery: z.string().trim().max(100).optional(),
	/** A person's name (part of) or id. */
	personQuery: z.string().trim().max(100).optional(),
	/** A username or display name (part of). */
	userQuery: z.string().trim().max(100).optional(),
	/** The start of a device id. */
	deviceQuery: z.string().trim().max(36).regex(/^[0-9a-fA-F-]*$/).optional(),
	/** An action or its prefix: 'journal.', 'sync.pull', 'rights.'. */
	action: z.string().trim().max(60).optional(),
	outcome: z.enum(['success', 'failure', 'denied', 'incident']).optional(),
	from: isoDay.optional(),
	to: isoDay.optional(),
	mode: z.enum(['all', 'online', 'offline']).default('all')
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/**
 * The conditions of a search, inside the reader's scope. A case matches its own events and the
 * pulls that sent it to a device (sync.pull names the cases in details.caseIds). Returns null when
 * a case, person or user query names nothing: the answer is then empty, not "everything".
 */
export async function auditConditions(db: Executor, scope: AuditScope, filters: AuditFilters): Promise<SQL | null> {
	const parts: SQL[] = [scope.condition];
	if (filters.caseQuery) {
		const ids = await matchingCaseIds(db, scope.organisationId, filters.caseQuery);
		if (ids.length === 0) return null;
		parts.push(
			or(inArray(auditEvents.caseId, ids), ...ids.map((id) => sql`(${auditEvents.details} -> 'caseIds') @> to_jsonb(${id}::text)`)) as SQL
		);
	}
	if (filters.personQuery) {
		const ids = await matchingPersonIds(db, scope.organisationId, filters.personQuery);
		if (ids.length === 0) return null;
		parts.push(inArray(auditEvents.personId, ids));
	}
	if (filters.userQuery) {
		const pattern = `%${escapeLike(filters.userQuery)}%`;
		const rows = await db.select({ id: users.id }).from(users).where(or(ilike(users.username, pattern), ilike(users.displayName, pattern)));
		if (rows.length === 0) return null;
		parts.push(inArray(auditEvents.actorId, rows.map((r) => r.id)));
	}
	if (filters.deviceQuery) parts.push(sql`${auditEvents.deviceId}::text ilike ${`${filters.deviceQuery.toLowerCase()}%`}`);
	if (filters.action) parts.push(sql`${auditEvents.action} like ${`${escapeLike(filters.action)}%`}`);
	if (filters.outcome) parts.push(eq(auditEvents.outcome, filters.outcome));
	if (filters.from) parts.push(gte(auditEvents.occurredAt, sql`(${filters.from}::date)::timestamp at time zone ${auditTimeZone}`));
	if (filters.to) parts.push(lt(auditEvents.occurredAt, sql`(${filters.to}::date + 1)::timestamp at time zone ${auditTimeZone}`));
	if (filters.mode !== 'all') parts.push(eq(auditEvents.offline, filters.mode === 'offline'));
	return and(...parts) as SQL;
}

/** One page of the trail, newest first, with the names a reader needs (actor, device, case). */
export async function searchAuditEvents(db: Executor, scope: AuditScope, filters: AuditFilters, page: { page: number; pageSize: number }) {
	const where = await auditConditions(db, scope, filters);
	if (!where) return { total: 0, page: page.page, pageSize: page.pageSize, rows: [] };
	const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(auditEvents).where(where);
	const rows = await selectAuditRows(db, where, page.pageSize, (page.page - 1) * page.pageSize);
	return { total: Number(total), page: page.page, pageSize: page.pageSize, rows };
}

export async function selectAuditRows(db: Executor, where: SQL, limit: number, offset = 0) {
	const rows = await db
		.select({
			id: auditEvents.id,
			occurredAt: auditEvents.occurredAt,
			recordedAt: auditEvents.recordedAt,
			actorId: auditEvents.actorId,
			actorName: users.displayName,
			actorUsername: users.username,
			actorRole: users.role,
			deviceId: auditEvents.deviceId,
			deviceLabel: devices.label,
			action: auditEvents.action,
			outcome: auditEvents.outcome,
			caseId: auditEvents.caseId,
			caseReference: cases.reference,
			personId: auditEvents.personId,
			noteId: auditEvents.noteId,
			offline: auditEvents.offline,
			details: auditEvents.details,
			hash: auditEvents.hash
		})
		.from(auditEvents)
		.leftJoin(users, eq(users.id, auditEvents.actorId))
		.leftJoin(devices, eq(devices.id, auditEvents.deviceId))
		.leftJoin(cases, eq(cases.id, auditEvents.caseId))
		.where(where)
		.orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
		.limit(limit)
		.offset(offset);
	return rows.map((row) => ({
		...row,
		occurredAt: row.occurredAt.toISOString(),
		recordedAt: row.recordedAt.toISOString(),
		details: (row.details ?? {}) as Record<string, unknown>
	}));
}

export type AuditRow = Awaited<ReturnType<typeof selectAuditRows>>[number];

async function matchingCaseIds(db: Executor, organisationId: string, query: string): Promise<string[]> {
	const byId = isUuid(query) ? eq(cases.id, query) : undefined;
	const rows = await db
		.select({ id: cases.id })
		.from(cases)
		.where(and(eq(cases.organisationId, organisationId), byId ?? ilike(cases.reference, escapeLike(query))));
	return rows.map((r) => r.id);
}

async function matchingPersonIds(db: Executor, organisationId: string, query: string): Promise<string[]> {
	if (isUuid(query)) return [query];
	const pattern = `%${escapeLike(query)}%`;
	const rows = await db
		.select({ id: persons.id })
		.from(persons)
		.innerJoin(cases, eq(cases.id, persons.caseId))
		.where(
			and(
				eq(cases.organisationId, organisationId),
				or(ilike(persons.lastName, pattern), ilike(persons.firstName, pattern), sql`(${persons.firstName} || ' ' || ${persons.lastName}) ilike ${pattern}`)
			)
		)
		.limit(200);
	return rows.map((r) => r.id);
}

export function isUuid(value: string): boolean {
	return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function escapeLike(value: string): string {
	return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
