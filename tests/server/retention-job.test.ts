import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, jobRuns } from '../../server/db/schema';
import { runDailyRetention, RETENTION_JOB } from '../../server/retention/startRetentionJob';
import { purgeAuditTrail } from '../../server/audit/purgeAuditTrail';
import { appendAuditEvent } from '../../server/audit/appendAuditEvent';
import { verifyAuditChain } from '../../server/audit/verifyAuditChain';
import { runRetention } from '../../server/retention/runRetention';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { seededDatabase, START } from './syncTestKit';

const DAY = 86_400_000;

describe.each(databaseKinds)('daily retention job on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
	});
	afterAll(async () => handle?.destroy());

	it('runs once when started twice concurrently (the job_runs row is the lock)', async () => {
		const config = { AUDIT_RETENTION_DAYS: 365 };
		const reports = await Promise.all([1, 2, 3].map(() => runDailyRetention(handle.db, config, clock.now())));
		expect(reports.filter((r) => r !== null)).toHaveLength(1);
		const runs = await handle.db.select().from(jobRuns).where(eq(jobRuns.job, RETENTION_JOB));
		expect(runs).toHaveLength(1);
		expect(runs[0].day).toBe(clock.now().toISOString().slice(0, 10));
		expect(runs[0].finishedAt).not.toBeNull();
		expect(runs[0].report).toMatchObject({ archived: expect.any(Number), destroyed: expect.any(Number) });
		expect(await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'retention.run'))).toHaveLength(1);
		// The seed's two closed cases with an old last contact: at least one is past its active period.
		const report = reports.find((r) => r !== null)!;
		expect(report.archived.length + report.destroyed.length).toBeGreaterThan(0);
	});

	it('runs again the next day, once', async () => {
		expect(await runDailyRetention(handle.db, { AUDIT_RETENTION_DAYS: 365 }, clock.now())).toBeNull();
		clock.advance(DAY);
		const [a, b] = await Promise.all([runDailyRetention(handle.db, { AUDIT_RETENTION_DAYS: 365 }, clock.now()), runDailyRetention(handle.db, { AUDIT_RETENTION_DAYS: 365 }, clock.now())]);
		expect([a, b].filter((r) => r !== null)).toHaveLength(1);
		expect(await handle.db.select().from(jobRuns).where(eq(jobRuns.job, RETENTION_JOB))).toHaveLength(2);
	});
});

describe.each(databaseKinds)('audit trail purge on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
	});
	afterAll(async () => handle?.destroy());

	it('purges events older than AUDIT_RETENTION_DAYS, logs the run with the anchor, and the chain verifies from it', async () => {
		for (let i = 0; i < 5; i++) {
			clock.advance(30 * DAY);
			await appendAuditEvent(handle.db, { action: 'test.event', details: { i } }, clock.now());
		}
		// 250 days after the seed, with a 180-day retention: the seed event and the first two go.
		clock.advance(100 * DAY);
		const before = await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
		const cutoff = clock.now().getTime() - 180 * DAY;
		const expectedPurged = before.filter((e) => e.recordedAt.getTime() < cutoff);
		const firstKept = before.find((e) => e.recordedAt.getTime() >= cutoff)!;
		expect(expectedPurged.length).toBeGreaterThan(1);

		const dry = await runRetention(handle.db, { now: clock.now(), dryRun: true, auditRetentionDays: 180, trigger: 'command' });
		expect(dry.audit.purged).toBe(expectedPurged.length);
		expect(await handle.db.select().from(auditEvents)).toHaveLength(before.length);

		const report = await runRetention(handle.db, { now: clock.now(), dryRun: false, auditRetentionDays: 180, trigger: 'command' });
		expect(report.audit).toMatchObject({ purged: expectedPurged.length, anchorId: firstKept.id, anchorHash: firstKept.prevHash });
		const remaining = await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
		expect(remaining[0].id).toBe(firstKept.id);
		expect(remaining.every((e) => e.recordedAt.getTime() >= cutoff)).toBe(true);
		const logged = remaining.filter((e) => e.action === 'retention.run').at(-1)!;
		expect(logged.details).toMatchObject({ auditPurged: expectedPurged.length, auditAnchorId: firstKept.id, auditAnchorHash: firstKept.prevHash });

		const verified = await verifyAuditChain(handle.db);
		expect(verified).toMatchObject({ status: 'intact', count: remaining.length });
		// Verify from the anchor: the first remaining row chains onto the hash the run logged.
		expect(remaining[0].prevHash).toBe((logged.details as { auditAnchorHash: string }).auditAnchorHash);
	});

	it('refuses any other deletion: purgeAuditTrail is the only way, and it needs the transaction flag it sets itself', async () => {
		await expect(handle.db.delete(auditEvents)).rejects.toThrow();
		const result = await handle.db.transaction((tx) => purgeAuditTrail(tx, new Date(0)));
		expect(result.purged).toBe(0);
	});
});
