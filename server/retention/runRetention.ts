import { asc, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { cases } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { countPurgeableAuditEvents, purgeAuditTrail } from '../audit/purgeAuditTrail';
import { addCounts, destroyCaseContent, emptyCounts, type DestructionCounts } from './destroyCaseContent';
import { retentionStepFor, type RetentionStep } from './retentionSchedule';
import type { RetentionRuleId } from './retentionRules';
import type { MeasureType } from '../../src/lib/shared/domain';

const DAY_MS = 86_400_000;

/**
 * One run of the retention engine (DESIGN.md, "Retention"):
 *  1. closed cases past their active period move to the intermediate archive (status
 *     'archived'): the policy then keeps them off every device at the next pull and out of
 *     everyone's reach but the DPO's;
 *  2. cases past the end of their archive are destroyed (destroyCaseContent);
 *  3. audit events older than AUDIT_RETENTION_DAYS are purged.
 * Each case changes in its own transaction, with its audit event, after re-reading it under a row
 * lock (a concurrent run finds nothing left to do). The run ends with one 'retention.run' event
 * holding the counts and the audit anchor. A dry run reads only.
 */
export async function runRetention(db: Database, options: RetentionRunOptions): Promise<RetentionReport> {
	const { now, dryRun } = options;
	const planned = await planRetention(db, now);
	const auditCutoff = new Date(now.getTime() - options.auditRetentionDays * DAY_MS);

	if (dryRun) {
		return {
			dryRun: true,
			ranAt: now.toISOString(),
			trigger: options.trigger,
			archived: planned.filter((p) => p.step === 'archive'),
			destroyed: planned.filter((p) => p.step === 'destroy'),
			destruction: { ...emptyCounts },
			audit: { cutoff: auditCutoff.toISOString(), purged: await countPurgeableAuditEvents(db, auditCutoff), anchorId: null, anchorHash: null }
		};
	}

	const archived: PlannedCase[] = [];
	const destroyed: PlannedCase[] = [];
	let destruction = { ...emptyCounts };
	for (const item of planned) {
		const done = await db.transaction(async (tx) => applyStep(tx, item.caseId, now, options.actorId ?? null));
		if (!done) continue;
		if (done.step === 'archive') archived.push(done.planned);
		else {
			destroyed.push(done.planned);
			destruction = addCounts(destruction, done.counts);
		}
	}

	return db.transaction(async (tx) => {
		const audit = await purgeAuditTrail(tx, auditCutoff);
		const report: RetentionReport = {
			dryRun: false,
			ranAt: now.toISOString(),
			trigger: options.trigger,
			archived,
			destroyed,
			destruction,
			audit
		};
		await appendAuditEvent(
			tx,
			{
				action: 'retention.run',
				actorId: options.actorId ?? null,
				details: {
					trigger: options.trigger,
					archived: archived.length,
					destroyed: destroyed.length,
					...destruction,
					auditCutoff: audit.cutoff,
					auditPurged: audit.purged,
					auditAnchorId: audit.anchorId,
					auditAnchorHash: audit.anchorHash
				}
			},
			now
		);
		return report;
	});
}

/** The cases the engine would act on now, in reference order. */
export async function planRetention(db: Executor, now: Date): Promise<PlannedCase[]> {
	const rows = await db
		.select({ id: cases.id, reference: cases.reference, measureType: cases.measureType, status: cases.status, closedAt: cases.closedAt, lastContactAt: cases.lastContactAt })
		.from(cases)
		.where(inArray(cases.status, ['closed', 'archived']))
		.orderBy(asc(cases.reference));
	return rows.flatMap((row) => {
		const step = retentionStepFor(row, now);
		return step ? [toPlanned(row, step)] : [];
	});
}

async function applyStep(tx: Executor, caseId: string, now: Date, actorId: string | null) {
	const [row] = await tx
		.select({ id: cases.id, reference: cases.reference, measureType: cases.measureType, status: cases.status, closedAt: cases.closedAt, lastContactAt: cases.lastContactAt })
		.from(cases)
		.where(eq(cases.id, caseId))
		.for('update');
	const step = row ? retentionStepFor(row, now) : null;
	if (!row || !step) return null;
	const planned = toPlanned(row, step);
	const details = { rule: step.schedule.rule.id, reference: row.reference, startedAt: step.schedule.start.toISOString(), dueAt: planned.dueAt };
	if (step.kind === 'archive') {
		await tx.update(cases).set({ status: 'archived', archivedAt: now }).where(eq(cases.id, caseId));
		await appendAuditEvent(tx, { action: 'retention.archive', actorId, caseId, details }, now);
		return { step: 'archive' as const, planned, counts: emptyCounts };
	}
	const counts = await destroyCaseContent(tx, caseId, now);
	await appendAuditEvent(tx, { action: 'retention.destroy', actorId, caseId, details: { ...details, ...counts } }, now);
	return { step: 'destroy' as const, planned, counts };
}

function toPlanned(row: { id: string; reference: string; measureType: PlannedCase['measureType']; status: string }, step: RetentionStep): PlannedCase {
	return {
		caseId: row.id,
		reference: row.reference,
		measureType: row.measureType,
		rule: step.schedule.rule.id,
		step: step.kind,
		dueAt: (step.kind === 'archive' ? step.schedule.archiveAt : step.schedule.destroyAt).toISOString()
	};
}

export interface RetentionRunOptions {
	now: Date;
	dryRun: boolean;
	auditRetentionDays: number;
	trigger: 'job' | 'command' | 'dpo';
	/** The DPO who asked, when a person did (null for the daily job and the command). */
	actorId?: string | null;
}

export interface PlannedCase {
	caseId: string;
	reference: string;
	measureType: MeasureType;
	rule: RetentionRuleId;
	step: 'archive' | 'destroy';
	/** When the step became due. */
	dueAt: string;
}

export interface RetentionReport {
	dryRun: boolean;
	ranAt: string;
	trigger: RetentionRunOptions['trigger'];
	archived: PlannedCase[];
	destroyed: PlannedCase[];
	destruction: DestructionCounts;
	/** On a dry run, `purged` is the number of events that would be purged. */
	audit: { cutoff: string; purged: number; anchorId: number | null; anchorHash: string | null };
}
