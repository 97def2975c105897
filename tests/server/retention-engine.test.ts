import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, cases, noteRevisions, notes, persons, tombstones, visits } from '../../server/db/schema';
import { checkCaseAccess } from '../../server/policy/checkCaseAccess';
import { runRetention } from '../../server/retention/runRetention';
import { verifyAuditChain } from '../../server/audit/verifyAuditChain';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { loadSessionUser, TestClock } from '../support/testCaller';
import { callerAs, errorOf, pullAll, seededDatabase, START } from './syncTestKit';
import { insertClosedCase } from './dpoTestKit';

/**
 * An AEMO closed on 2021-12-10: active base until 2026-12-10 (five years), intermediate archive
 * until 2028-03-10 (fifteen months more). The clock is injected; nothing waits.
 */
const archiveDay = new Date('2026-12-10T00:00:00Z');
const destroyDay = new Date('2028-03-10T00:00:00Z');
const DAY = 86_400_000;

describe.each(databaseKinds)('retention engine on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	let fixture: Awaited<ReturnType<typeof insertClosedCase>>;
	const device = { id: crypto.randomUUID(), state: { cursor: null as string | null, held: new Set<string>() } };
	const run = (dryRun: boolean) => runRetention(handle.db, { now: clock.now(), dryRun, auditRetentionDays: 365, trigger: 'command' });

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		fixture = await insertClosedCase(handle.db, { reference: 'RT-AEMO-01', measureType: 'aemo', closedAt: '2021-12-10', lastContactAt: new Date('2021-11-02T10:00:00Z') });
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		await pullAll(bruno, device.id, device.state);
	});
	afterAll(async () => handle?.destroy());

	const status = async () => (await handle.db.select({ status: cases.status, archivedAt: cases.archivedAt }).from(cases).where(eq(cases.id, fixture.caseId)))[0];

	it('holds the closed case on the worker device before anything happens', () => {
		expect(device.state.held.has(fixture.caseId)).toBe(true);
	});

	it('the day before the end of the active period: a dry run and a run leave the case alone', async () => {
		clock.current = new Date(archiveDay.getTime() - DAY);
		const dry = await run(true);
		expect(dry.archived.map((c) => c.caseId)).not.toContain(fixture.caseId);
		const real = await run(false);
		expect(real.archived.map((c) => c.caseId)).not.toContain(fixture.caseId);
		expect((await status()).status).toBe('closed');
	});

	it('the day after: the dry run lists the archiving and writes nothing', async () => {
		clock.current = new Date(archiveDay.getTime() + DAY);
		const eventsBefore = await handle.db.select({ id: auditEvents.id }).from(auditEvents);
		const dry = await run(true);
		expect(dry.dryRun).toBe(true);
		expect(dry.archived.find((c) => c.caseId === fixture.caseId)).toMatchObject({ reference: 'RT-AEMO-01', rule: 'aemo', step: 'archive', dueAt: archiveDay.toISOString() });
		expect((await status()).status).toBe('closed');
		expect(await handle.db.select({ id: auditEvents.id }).from(auditEvents)).toHaveLength(eventsBefore.length);
	});

	it('the day after: the run archives the case, audits it, and reports its counts', async () => {
		const report = await run(false);
		expect(report.archived.map((c) => c.caseId)).toContain(fixture.caseId);
		expect(await status()).toEqual({ status: 'archived', archivedAt: clock.now() });
		const [archiveEvent] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, 'retention.archive')));
		expect(archiveEvent.details).toMatchObject({ rule: 'aemo', reference: 'RT-AEMO-01' });
		const runs = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'retention.run')).orderBy(asc(auditEvents.id));
		expect(runs.at(-1)!.details).toMatchObject({ archived: report.archived.length, destroyed: report.destroyed.length, trigger: 'command' });
		// Content is untouched until the end of the archive.
		expect(await handle.db.select().from(persons).where(eq(persons.caseId, fixture.caseId))).toHaveLength(2);
		// A second run the same day has nothing left to do for this case.
		expect((await run(false)).archived.map((c) => c.caseId)).not.toContain(fixture.caseId);
	});

	it('the archived case leaves the worker device at the next pull', async () => {
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const pages = await pullAll(bruno, device.id, device.state);
		expect(pages[0].revokedCaseIds).toContain(fixture.caseId);
		expect(device.state.held.has(fixture.caseId)).toBe(false);
		const again = await pullAll(bruno, crypto.randomUUID(), { cursor: null, held: new Set() });
		expect(again.flatMap((p) => p.cases.map((c) => c.id))).not.toContain(fixture.caseId);
	});

	it('archived data is readable by the DPO only, and each reading is audited', async () => {
		for (const username of ['aed.bruno', 'chef.david', 'admin.eva']) {
			const caller = await callerAs(handle.db, username, clock);
			const error = await errorOf(caller.dpo.retention.readArchivedCase({ caseId: fixture.caseId, reason: 'Contrôle' }));
			expect(error.code).toBe('FORBIDDEN');
			const user = await loadSessionUser(handle.db, username);
			for (const action of ['read', 'write', 'review', 'administer', 'audit'] as const) {
				expect((await checkCaseAccess(handle.db, user, fixture.caseId, action, clock.now())).ok).toBe(false);
			}
		}
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const archive = await dpo.dpo.retention.archivedCases();
		expect(archive.find((c) => c.caseId === fixture.caseId)).toMatchObject({ reference: 'RT-AEMO-01', destroyAt: destroyDay.toISOString() });
		const content = await dpo.dpo.retention.readArchivedCase({ caseId: fixture.caseId, reason: 'Demande du service contentieux' });
		expect(content.persons.map((p) => p.id).sort()).toEqual([...fixture.personIds].sort());
		expect(content.notes.map((n) => n.id).sort()).toEqual([...fixture.noteIds].sort());
		const [read] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, 'retention.archive.read')));
		expect(read.details).toMatchObject({ reason: 'Demande du service contentieux', persons: 2, notes: 2, visits: 1 });
		// The DPO reads archives, not live cases.
		const live = await handle.db.select({ id: cases.id }).from(cases).where(eq(cases.status, 'open')).limit(1);
		expect((await errorOf(dpo.dpo.retention.readArchivedCase({ caseId: live[0].id, reason: 'Curiosité' }))).code).toBe('NOT_FOUND');
	});

	it('the day before the end of the archive: still archived', async () => {
		clock.current = new Date(destroyDay.getTime() - DAY);
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		await dpo.dpo.retention.readArchivedCase({ caseId: fixture.caseId, reason: 'Dernière vérification' });
		const report = await run(false);
		expect(report.destroyed.map((c) => c.caseId)).not.toContain(fixture.caseId);
		expect((await status()).status).toBe('archived');
	});

	it('the day after: destroyed, a tombstone for each deleted row, the case row kept empty, the audit kept', async () => {
		clock.current = new Date(destroyDay.getTime() + DAY);
		const auditBefore = await handle.db.select({ id: auditEvents.id, recordedAt: auditEvents.recordedAt }).from(auditEvents).where(eq(auditEvents.caseId, fixture.caseId));
		const dry = await run(true);
		expect(dry.destroyed.find((c) => c.caseId === fixture.caseId)?.step).toBe('destroy');
		const report = await run(false);
		expect(report.destroyed.map((c) => c.caseId)).toContain(fixture.caseId);
		expect(report.destruction.tombstones).toBeGreaterThanOrEqual(5);

		expect((await status()).status).toBe('destroyed');
		expect(await handle.db.select().from(persons).where(eq(persons.caseId, fixture.caseId))).toHaveLength(0);
		expect(await handle.db.select().from(notes).where(eq(notes.caseId, fixture.caseId))).toHaveLength(0);
		expect(await handle.db.select().from(visits).where(eq(visits.caseId, fixture.caseId))).toHaveLength(0);
		expect(await handle.db.select().from(noteRevisions).where(inArray(noteRevisions.noteId, fixture.noteIds))).toHaveLength(0);
		const stones = await handle.db.select().from(tombstones).where(eq(tombstones.caseId, fixture.caseId));
		expect(stones.map((s) => `${s.entity}:${s.id}`).sort()).toEqual(
			[...fixture.personIds.map((id) => `person:${id}`), ...fixture.noteIds.map((id) => `note:${id}`), ...fixture.visitIds.map((id) => `visit:${id}`)].sort()
		);

		// Events about the case younger than the audit retention are all still there, plus the destruction.
		const cutoff = clock.now().getTime() - 365 * DAY;
		const kept = auditBefore.filter((e) => e.recordedAt.getTime() >= cutoff).map((e) => e.id);
		expect(kept.length).toBeGreaterThan(0);
		const after = await handle.db.select({ id: auditEvents.id, action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.caseId, fixture.caseId));
		expect(after.map((e) => e.id)).toEqual(expect.arrayContaining(kept));
		expect(after.map((e) => e.action)).toContain('retention.destroy');

		// Nobody, not even the DPO, reads a destroyed case.
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		expect((await errorOf(dpo.dpo.retention.readArchivedCase({ caseId: fixture.caseId, reason: 'Contrôle' }))).code).toBe('NOT_FOUND');
		expect((await verifyAuditChain(handle.db)).status).toBe('intact');
	});
});
