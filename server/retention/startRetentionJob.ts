import type { Config } from '../config';
import type { Database } from '../db/client';
import { log } from '../log';
import { claimDailyJob, finishDailyJob } from './claimDailyJob';
import { runRetention, type RetentionReport } from './runRetention';

export const RETENTION_JOB = 'retention';
const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * Runs the retention engine once a day in whichever server process claims the day first
 * (claimDailyJob): every process checks at start-up and then every hour. Returns a stop function.
 */
export function startRetentionJob(db: Database, config: Pick<Config, 'AUDIT_RETENTION_DAYS'>, now: () => Date = () => new Date()): () => void {
	let stopped = false;
	const tick = () => {
		if (stopped) return;
		runDailyRetention(db, config, now()).catch((error) => log('error', 'retention.failed', { message: String(error) }));
	};
	const timer = setInterval(tick, CHECK_EVERY_MS);
	timer.unref?.();
	tick();
	return () => {
		stopped = true;
		clearInterval(timer);
	};
}

/** One daily attempt: null when another process (or an earlier tick) already has today's run. */
export async function runDailyRetention(
	db: Database,
	config: Pick<Config, 'AUDIT_RETENTION_DAYS'>,
	now: Date
): Promise<RetentionReport | null> {
	if (!(await claimDailyJob(db, RETENTION_JOB, now))) return null;
	try {
		const report = await runRetention(db, { now, dryRun: false, auditRetentionDays: config.AUDIT_RETENTION_DAYS, trigger: 'job' });
		await finishDailyJob(db, RETENTION_JOB, now, summaryOf(report), new Date());
		log('info', 'retention.done', { archived: report.archived.length, destroyed: report.destroyed.length, auditPurged: report.audit.purged });
		return report;
	} catch (error) {
		// The day stays claimed (no retry storm); the failure is kept for the DPO dashboard.
		await finishDailyJob(db, RETENTION_JOB, now, { error: 'failed' }, new Date()).catch(() => {});
		throw error;
	}
}

export function summaryOf(report: RetentionReport) {
	return {
		archived: report.archived.length,
		destroyed: report.destroyed.length,
		...report.destruction,
		auditPurged: report.audit.purged,
		auditAnchorHash: report.audit.anchorHash
	};
}
