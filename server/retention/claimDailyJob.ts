import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { jobRuns } from '../db/schema';

/**
 * The database lock of a once-a-day job: the first process to insert (job, day) wins, every
 * other one (another Node process, a second timer) gets false. Days are UTC calendar days.
 */
export async function claimDailyJob(db: Executor, job: string, now: Date): Promise<boolean> {
	const rows = await db
		.insert(jobRuns)
		.values({ job, day: dayOf(now), startedAt: now })
		.onConflictDoNothing()
		.returning({ job: jobRuns.job });
	return rows.length === 1;
}

export async function finishDailyJob(db: Executor, job: string, now: Date, report: unknown, finishedAt: Date): Promise<void> {
	await db
		.update(jobRuns)
		.set({ finishedAt, report })
		.where(and(eq(jobRuns.job, job), eq(jobRuns.day, dayOf(now))));
}

export function dayOf(now: Date): string {
	return now.toISOString().slice(0, 10);
}
