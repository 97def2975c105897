import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, jobRuns, organisations, users } from '../../server/db/schema';
import { AUDIT_VERIFY_JOB } from '../../server/audit/recordAuditVerification';
import { csvCell } from '../../server/audit/exportAuditExtract';
import { appendAuditEvent } from '../../server/audit/appendAuditEvent';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, seededDatabase, signEntries, START } from './syncTestKit';

const HOUR = 3_600_000;

describe.each(databaseKinds)('DPO audit screens on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	let target: { id: string; reference: string };
	const deviceId = crypto.randomUUID();

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		target = (await assignedCases(handle.db, 'aed.bruno'))[0];
		// Bruno's tablet downloads his caseload, then later sends two offline views of the target case.
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const page = await bruno.sync.pull({ deviceId, deviceLabel: 'Tablette de Bruno', cursor: null, heldCaseIds: [] });
		if (page.wipe || !page.journalSecret) throw new Error('no secret');
		clock.advance(3 * HOUR);
		const entries = signEntries(page.journalSecret, [
			{ seq: 1, at: new Date(clock.now().getTime() - 2 * HOUR).toISOString(), caseId: target.id, noteId: null, action: 'case.view', offline: true },
			{ seq: 2, at: new Date(clock.now().getTime() - HOUR).toISOString(), caseId: target.id, noteId: null, action: 'case.view', offline: true }
		]);
		await bruno.sync.journal({ deviceId, entries });
	});
	afterAll(async () => handle?.destroy());

	it('answers "who looked at this case, when, from which device, online or offline" by its reference', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const result = await dpo.dpo.audit.search({ filters: { caseQuery: target.reference.toLowerCase(), mode: 'all' }, page: 1, pageSize: 25 });
		expect(result.total).toBe(3);
		const pull = result.rows.find((r) => r.action === 'sync.pull')!;
		expect(pull).toMatchObject({ actorName: 'Bruno Lemaire', actorUsername: 'aed.bruno', deviceId, deviceLabel: 'Tablette de Bruno', offline: false });
		const views = result.rows.filter((r) => r.action === 'journal.case.view');
		expect(views).toHaveLength(2);
		for (const view of views) {
			expect(view).toMatchObject({ offline: true, caseReference: target.reference, actorName: 'Bruno Lemaire' });
			expect(Date.parse(view.recordedAt)).toBeGreaterThan(Date.parse(view.occurredAt));
		}
		// Newest first by the time it happened.
		expect(result.rows.map((r) => r.occurredAt)).toEqual([...result.rows.map((r) => r.occurredAt)].sort().reverse());

		const offline = await dpo.dpo.audit.search({ filters: { caseQuery: target.reference, mode: 'offline' }, page: 1, pageSize: 25 });
		expect(offline.total).toBe(2);
		const byDevice = await dpo.dpo.audit.search({ filters: { deviceQuery: deviceId.slice(0, 8), action: 'journal.', mode: 'all' }, page: 1, pageSize: 10 });
		expect(byDevice.total).toBe(2);
		const byUser = await dpo.dpo.audit.search({ filters: { userQuery: 'Lemaire', action: 'sync.', mode: 'all' }, page: 1, pageSize: 10 });
		expect(byUser.rows.every((r) => r.actorUsername === 'aed.bruno')).toBe(true);
		const unknown = await dpo.dpo.audit.search({ filters: { caseQuery: 'ZZ-0000-000', mode: 'all' }, page: 1, pageSize: 10 });
		expect(unknown).toMatchObject({ total: 0, rows: [] });
	});

	it('pages through the trail', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const first = await dpo.dpo.audit.search({ filters: { mode: 'all' }, page: 1, pageSize: 10 });
		const second = await dpo.dpo.audit.search({ filters: { mode: 'all' }, page: 2, pageSize: 10 });
		expect(first.total).toBeGreaterThanOrEqual(3);
		expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(first.rows.length + second.rows.length);
	});

	it('counts accesses per day, the offline ones, emergency grants and incidents', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const [bruno] = await handle.db.select({ id: users.id }).from(users).where(eq(users.username, 'aed.bruno'));
		await appendAuditEvent(handle.db, { action: 'auth.lock', outcome: 'incident', actorId: bruno.id }, clock.now());
		const stats = await dpo.dpo.audit.statistics({ filters: { mode: 'all' } });
		expect(stats.days).toHaveLength(30);
		const total = stats.days.reduce((sum, d) => ({ accesses: sum.accesses + d.accesses, offline: sum.offline + d.offlineAccesses, incidents: sum.incidents + d.incidents }), { accesses: 0, offline: 0, incidents: 0 });
		expect(total.accesses).toBeGreaterThanOrEqual(3);
		expect(total.offline).toBe(2);
		expect(total.incidents).toBe(1);
		const forCase = await dpo.dpo.audit.statistics({ filters: { caseQuery: target.reference, mode: 'all' } });
		expect(forCase.days.reduce((n, d) => n + d.accesses, 0)).toBe(3);
	});

	it('runs the integrity check, keeps the date of the last run, and audits it', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		expect(await dpo.dpo.audit.lastVerification()).toBeNull();
		const result = await dpo.dpo.audit.verify();
		expect(result.report.status).toBe('intact');
		const last = await dpo.dpo.audit.lastVerification();
		expect(last).toMatchObject({ ranAt: clock.now().toISOString(), report: { status: 'intact' } });
		await dpo.dpo.audit.verify();
		expect(await handle.db.select().from(jobRuns).where(eq(jobRuns.job, AUDIT_VERIFY_JOB))).toHaveLength(1);
		expect(await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'audit.verify'))).toHaveLength(2);
	});

	it('exports an extract as CSV and JSON, each export itself audited', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const csv = await dpo.dpo.audit.export({ filters: { caseQuery: target.reference, mode: 'all' }, format: 'csv' });
		expect(csv.rows).toBe(3);
		const lines = csv.content.replace(/^\uFEFF/, '').trim().split('\r\n');
		expect(lines).toHaveLength(4);
		expect(lines[0]).toMatch(/^id;survenu_le;enregistre_le;utilisateur/);
		expect(csv.content).toContain(target.reference);
		const json = await dpo.dpo.audit.export({ filters: { caseQuery: target.reference, mode: 'offline' }, format: 'json' });
		expect(JSON.parse(json.content).events).toHaveLength(2);
		const exports = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'audit.export'));
		expect(exports.map((e) => e.details)).toEqual([
			expect.objectContaining({ format: 'csv', rows: 3 }),
			expect.objectContaining({ format: 'json', rows: 2 })
		]);
		expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
	});

	it('shows a DPO of another organisation nothing of this one', async () => {
		const [provider] = await handle.db.select().from(organisations).where(eq(organisations.kind, 'provider'));
		const [farid] = await handle.db.select().from(users).where(eq(users.username, 'dpo.farid'));
		await handle.db.insert(users).values({ organisationId: provider.id, username: 'dpo.autre', displayName: 'DPO Prestataire', role: 'dpo', passwordHash: farid.passwordHash });
		const other = await callerAs(handle.db, 'dpo.autre', clock);
		const result = await other.dpo.audit.search({ filters: { caseQuery: target.reference, mode: 'all' }, page: 1, pageSize: 25 });
		expect(result.total).toBe(0);
		const all = await other.dpo.audit.search({ filters: { mode: 'all' }, page: 1, pageSize: 100 });
		expect(all.rows.some((r) => r.actorUsername === 'aed.bruno' || r.caseId === target.id)).toBe(false);
		const events = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'sync.pull'), eq(auditEvents.deviceId, deviceId)));
		expect(events).toHaveLength(1);
	});
});
