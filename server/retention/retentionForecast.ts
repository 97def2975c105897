import { and, asc, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { cases, jobRuns } from '../db/schema';
import { RETENTION_JOB } from './startRetentionJob';
import { addMonths, retentionScheduleFor } from './retentionSchedule';
import type { MeasureType } from '../../src/lib/shared/domain';
import type { RetentionRuleId } from './retentionRules';

const DAY_MS = 86_400_000;

/**
 * The DPO dashboard: which cases of the organisation reach a retention step within the horizon
 * (archive or destruction), week by week, plus the steps already due (the next run does them),
 * the open cases without contact for two years (someone should close them) and the last run.
 */
export async function retentionForecast(db: Executor, organisationId: string, now: Date, horizonDays: number): Promise<RetentionForecast> {
	const rows = await db
		.select({ id: cases.id, reference: cases.reference, measureType: cases.measureType, status: cases.status, closedAt: cases.closedAt, lastContactAt: cases.lastContactAt, archivedAt: cases.archivedAt })
		.from(cases)
		.where(and(eq(cases.organisationId, organisationId), inArray(cases.status, ['closed', 'archived'])))
		.orderBy(asc(cases.reference));
	const end = now.getTime() + horizonDays * DAY_MS;
	const upcoming: ForecastStep[] = [];
	for (const row of rows) {
		const schedule = retentionScheduleFor(row);
		if (!schedule) continue;
		const steps: { step: 'archive' | 'destroy'; at: Date }[] = [{ step: 'destroy', at: schedule.destroyAt }];
		if (row.status === 'closed') steps.unshift({ step: 'archive', at: schedule.archiveAt });
		for (const s of steps) {
			if (s.at.getTime() > end) continue;
			upcoming.push({ caseId: row.id, reference: row.reference, measureType: row.measureType, rule: schedule.rule.id, step: s.step, dueAt: s.at.toISOString(), overdue: s.at.getTime() <= now.getTime() });
		}
	}
	upcoming.sort((a, b) => a.dueAt.localeCompare(b.dueAt));

	const weeks = Array.from({ length: Math.ceil(horizonDays / 7) }, (_, i) => ({
		weekStart: new Date(now.getTime() + i * 7 * DAY_MS).toISOString().slice(0, 10),
		archive: 0,
		destroy: 0
	}));
	for (const step of upcoming) {
		if (step.overdue) continue;
		const index = Math.min(weeks.length - 1, Math.floor((Date.parse(step.dueAt) - now.getTime()) / (7 * DAY_MS)));
		weeks[index][step.step]++;
	}

	const staleBefore = addMonths(now, -24);
	const staleOpen = await db
		.select({ caseId: cases.id, reference: cases.reference, measureType: cases.measureType, lastContactAt: cases.lastContactAt })
		.from(cases)
		.where(and(eq(cases.organisationId, organisationId), eq(cases.status, 'open'), lt(cases.lastContactAt, staleBefore)))
		.orderBy(asc(cases.lastContactAt));

	const [lastRun] = await db
		.select({ day: jobRuns.day, startedAt: jobRuns.startedAt, finishedAt: jobRuns.finishedAt, report: jobRuns.report })
		.from(jobRuns)
		.where(eq(jobRuns.job, RETENTION_JOB))
		.orderBy(desc(jobRuns.day))
		.limit(1);

	return {
		now: now.toISOString(),
		horizonDays,
		upcoming,
		weeks,
		staleOpen: staleOpen.map((c) => ({ ...c, lastContactAt: c.lastContactAt?.toISOString() ?? null })),
		lastRun: lastRun
			? { day: lastRun.day, startedAt: lastRun.startedAt.toISOString(), finishedAt: lastRun.finishedAt?.toISOString() ?? null, report: (lastRun.report ?? null) as Record<string, unknown> | null }
			: null
	};
}

export interface ForecastStep {
	caseId: string;
	reference: string;
	measureType: MeasureType;
	rule: RetentionRuleId;
	step: 'archive' | 'destroy';
	dueAt: string;
	/** Already due: the next run does it. */
	overdue: boolean;
}

export interface RetentionForecast {
	now: string;
	horizonDays: number;
	upcoming: ForecastStep[];
	weeks: { weekStart: string; archive: number; destroy: number }[];
	staleOpen: { caseId: string; reference: string; measureType: MeasureType; lastContactAt: string | null }[];
	lastRun: { day: string; startedAt: string; finishedAt: string | null; report: Record<string, unknown> | null } | null;
}
