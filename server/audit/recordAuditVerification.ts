import { desc, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { jobRuns } from '../db/schema';
import { appendAuditEvent } from './appendAuditEvent';
import { verifyAuditChain, type AuditChainReport } from './verifyAuditChain';

export const AUDIT_VERIFY_JOB = 'audit-verify';

/**
 * Runs verifyAuditChain on demand and keeps the result twice: in job_runs (job 'audit-verify',
 * one row per day, the day's last run wins) for "last run" on the screen, and as an audit event
 * ('audit.verify', outcome 'incident' when broken) so the trail records who checked it and when.
 */
export async function recordAuditVerification(db: Database, actorId: string | null, now: Date): Promise<AuditVerification> {
	const report = await verifyAuditChain(db);
	const finishedAt = new Date();
	const day = now.toISOString().slice(0, 10);
	const stored = { ...report, actorId };
	await db.transaction(async (tx) => {
		await tx
			.insert(jobRuns)
			.values({ job: AUDIT_VERIFY_JOB, day, startedAt: now, finishedAt, report: stored })
			.onConflictDoUpdate({
				target: [jobRuns.job, jobRuns.day],
				set: { startedAt: now, finishedAt, report: sql`excluded.report` }
			});
		await appendAuditEvent(
			tx,
			{ action: 'audit.verify', outcome: report.status === 'intact' ? 'success' : 'incident', actorId, details: { ...report } },
			now
		);
	});
	return { ranAt: now.toISOString(), report };
}

export async function lastAuditVerification(db: Executor): Promise<AuditVerification | null> {
	const [row] = await db
		.select({ startedAt: jobRuns.startedAt, report: jobRuns.report })
		.from(jobRuns)
		.where(eq(jobRuns.job, AUDIT_VERIFY_JOB))
		.orderBy(desc(jobRuns.day))
		.limit(1);
	if (!row) return null;
	return { ranAt: row.startedAt.toISOString(), report: row.report as AuditChainReport };
}

export interface AuditVerification {
	ranAt: string;
	report: AuditChainReport;
}
