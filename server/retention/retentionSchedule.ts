import type { CaseStatus, MeasureType } from '../../src/lib/shared/domain';
import { retentionRuleFor, type RetentionRule } from './retentionRules';

/**
 * When a case leaves the active base and when it is destroyed, from its rule. Both dates count
 * from the same start (not from the day it was actually archived), so a late run never lengthens
 * retention. Open cases have no schedule: a measure in progress is never archived by the clock.
 */
export function retentionScheduleFor(row: RetentionCaseFields): RetentionSchedule | null {
	if (row.status === 'open' || row.status === 'destroyed') return null;
	const rule = retentionRuleFor(row.measureType);
	const start = retentionStartFor(rule, row);
	if (!start) return null;
	const archiveAt = addMonths(start, rule.activeMonths);
	const destroyAt = addMonths(start, rule.activeMonths + rule.archiveMonths);
	return { rule, start, archiveAt, destroyAt };
}

/** What the engine should do with a case now: archive, destroy, or nothing. */
export function retentionStepFor(row: RetentionCaseFields, now: Date): RetentionStep | null {
	const schedule = retentionScheduleFor(row);
	if (!schedule) return null;
	if (now.getTime() >= schedule.destroyAt.getTime()) return { kind: 'destroy', schedule };
	if (row.status === 'closed' && now.getTime() >= schedule.archiveAt.getTime()) return { kind: 'archive', schedule };
	return null;
}

function retentionStartFor(rule: RetentionRule, row: RetentionCaseFields): Date | null {
	const closed = row.closedAt ? new Date(`${row.closedAt}T00:00:00Z`) : null;
	const contact = row.lastContactAt;
	if (rule.startsAt === 'last-contact') return contact ?? closed;
	if (!closed) return contact;
	if (!contact) return closed;
	return contact.getTime() > closed.getTime() ? contact : closed;
}

/** Calendar months in UTC; the 31st plus one month is the last day of the next month. */
export function addMonths(date: Date, months: number): Date {
	const result = new Date(date.getTime());
	const day = result.getUTCDate();
	result.setUTCDate(1);
	result.setUTCMonth(result.getUTCMonth() + months);
	const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
	result.setUTCDate(Math.min(day, lastDay));
	return result;
}

export interface RetentionCaseFields {
	measureType: MeasureType;
	status: CaseStatus;
	closedAt: string | null;
	lastContactAt: Date | null;
}

export interface RetentionSchedule {
	rule: RetentionRule;
	start: Date;
	archiveAt: Date;
	destroyAt: Date;
}

export interface RetentionStep {
	kind: 'archive' | 'destroy';
	schedule: RetentionSchedule;
}
