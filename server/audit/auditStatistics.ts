import { and, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { auditEvents } from '../db/schema';
import type { AuditScope } from './auditScopeFor';
import { AUDIT_TIME_ZONE, auditConditions, auditTimeZone, type AuditFilters } from './searchAuditEvents';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

/**
 * An access is a moment someone saw or received case data: an offline or online view, a search,
 * an export (journal.*), a pull that sent cases to a device, a DPO read of an archive or a rights
 * export. Emergency access is break-the-glass (emergency.*); incidents are journal gaps, bad MACs
 * and account lock-outs (outcome 'incident').
 */
export const accessCondition = sql`(${auditEvents.action} like 'journal.%'
	or ${auditEvents.action} in ('case.view', 'note.view', 'retention.archive.read', 'rights.export')
	or (${auditEvents.action} = 'sync.pull' and jsonb_array_length(coalesce(${auditEvents.details} -> 'caseIds', '[]'::jsonb)) > 0))`;

/** Per day of the period (default: the last 30 days): accesses, of which offline, emergency grants, incidents. */
export async function auditStatistics(db: Executor, scope: AuditScope, filters: AuditFilters, now: Date): Promise<AuditDailyStatistics> {
	const to = filters.to ?? parisDay(now);
	const fromDefault = parisDay(new Date(Date.parse(`${to}T12:00:00Z`) - 29 * DAY_MS));
	let from = filters.from ?? fromDefault;
	if (Date.parse(to) - Date.parse(from) > MAX_DAYS * DAY_MS) from = parisDay(new Date(Date.parse(`${to}T12:00:00Z`) - (MAX_DAYS - 1) * DAY_MS));
	const days = listDays(from, to);
	const where = await auditConditions(db, scope, { ...filters, from, to });
	if (!where || days.length === 0) return { from, to, days: days.map(emptyDay) };
	const dayExpr = sql<string>`to_char(${auditEvents.occurredAt} at time zone ${auditTimeZone}, 'YYYY-MM-DD')`;
	const rows = await db
		.select({
			day: dayExpr,
			accesses: sql<number>`count(*) filter (where ${accessCondition})::int`,
			offlineAccesses: sql<number>`count(*) filter (where ${accessCondition} and ${auditEvents.offline})::int`,
			emergency: sql<number>`count(*) filter (where ${auditEvents.action} like 'emergency.%')::int`,
			incidents: sql<number>`count(*) filter (where ${auditEvents.outcome} = 'incident')::int`
		})
		.from(auditEvents)
		.where(and(where) as SQL)
		.groupBy(dayExpr);
	const byDay = new Map(rows.map((r) => [r.day, r]));
	return {
		from,
		to,
		days: days.map((day) => {
			const r = byDay.get(day);
			return r
				? { day, accesses: Number(r.accesses), offlineAccesses: Number(r.offlineAccesses), emergency: Number(r.emergency), incidents: Number(r.incidents) }
				: emptyDay(day);
		})
	};
}

function emptyDay(day: string): AuditDay {
	return { day, accesses: 0, offlineAccesses: 0, emergency: 0, incidents: 0 };
}

function listDays(from: string, to: string): string[] {
	const days: string[] = [];
	for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && days.length < MAX_DAYS; t += DAY_MS) {
		days.push(new Date(t).toISOString().slice(0, 10));
	}
	return days;
}

/** The calendar day in France of an instant. */
export function parisDay(at: Date): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: AUDIT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export interface AuditDay {
	day: string;
	accesses: number;
	offlineAccesses: number;
	emergency: number;
	incidents: number;
}

export interface AuditDailyStatistics {
	from: string;
	to: string;
	days: AuditDay[];
}
