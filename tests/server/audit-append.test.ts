import { asc, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvents, type AuditEventInput } from '../../server/audit/appendAuditEvent';
import { hashAuditRow } from '../../server/audit/hashAuditRow';
import { verifyAuditChain } from '../../server/audit/verifyAuditChain';
import { rowsOf } from '../../server/db/client';
import { auditEvents, devices } from '../../server/db/schema';
import { recordPull, type PullRecord } from '../../server/sync/recordPull';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { callerAs, seededDatabase, START, userId } from './syncTestKit';

/**
 * Appends hash in PostgreSQL (carnet_append_audit_events, migration 0004) what the verifier
 * hashes in Node (hashAuditRow): the two must agree byte for byte, whatever the text.
 */
describe.each(databaseKinds)('audit appends on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
	});
	afterAll(async () => handle?.destroy());

	async function lastId(): Promise<number> {
		const [row] = await handle.db.select({ id: auditEvents.id }).from(auditEvents).orderBy(sql`${auditEvents.id} desc`).limit(1);
		return row?.id ?? 0;
	}

	it('stores what it hashed, and the verifier recomputes the same hash, for any text', async () => {
		const before = await lastId();
		const actorId = await userId(handle.db, 'tisf.amelie');
		const inputs: AuditEventInput[] = [
			{ action: 'note.read', actorId, caseId: crypto.randomUUID(), noteId: crypto.randomUUID(), details: { b: 'Élodie, 5 ans — « suivi »', a: '👶🏽 \u2028 "guillemets" \\ \n\t' } },
			{ action: 'note.read', actorId, offline: true, occurredAt: new Date(START.getTime() - 3_600_000), details: { nested: { z: [3, { y: 1, x: null }], a: 0.1 + 0.2 }, big: 2 ** 53 - 1, neg: -0.5e-7 } },
			{ action: 'sync.push', outcome: 'denied', personId: crypto.randomUUID() },
			{ action: 'auth.login', outcome: 'failure', details: { username: 'ünïcödé', empty: {}, list: [] } }
		];
		const appended = await appendAuditEvents(
			handle.db,
			inputs.map((input, i) => ({ input, now: new Date(START.getTime() + i) }))
		);
		expect(appended).toHaveLength(inputs.length);

		const rows = await handle.db.select().from(auditEvents).where(gt(auditEvents.id, before)).orderBy(asc(auditEvents.id));
		expect(rows.map((r) => ({ id: r.id, hash: r.hash }))).toEqual(appended);
		rows.forEach((row, i) => {
			const input = inputs[i];
			expect(row).toMatchObject({
				action: input.action,
				outcome: input.outcome ?? 'success',
				actorId: input.actorId ?? null,
				caseId: input.caseId ?? null,
				personId: input.personId ?? null,
				noteId: input.noteId ?? null,
				offline: input.offline ?? false,
				details: input.details ?? {}
			});
			expect(row.recordedAt.toISOString()).toBe(new Date(START.getTime() + i).toISOString());
			expect(row.occurredAt.toISOString()).toBe((input.occurredAt ?? row.recordedAt).toISOString());
			expect(row.hash).toBe(hashAuditRow(row.prevHash, row));
			if (i > 0) expect(row.prevHash).toBe(rows[i - 1].hash);
		});
		expect(await verifyAuditChain(handle.db)).toMatchObject({ status: 'intact' });
	});

	it('records a batch of pulls with their device rows, or neither', async () => {
		const amelie = await callerAs(handle.db, 'tisf.amelie', clock);
		const actorId = await userId(handle.db, 'tisf.amelie');
		const deviceIds = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
		for (const deviceId of deviceIds) await amelie.sync.pull({ deviceId, cursor: null, heldCaseIds: [] });
		clock.advance(60_000);
		const record = (deviceId: string, over: Partial<PullRecord> = {}): PullRecord => ({
			deviceId,
			deviceLabel: null,
			actorId,
			details: { heartbeat: true },
			now: clock.now(),
			durable: false,
			...over
		});

		// Submitted together: one batch (group commit), every device touched, every event chained.
		const before = await lastId();
		await Promise.all(deviceIds.map((id, i) => recordPull(handle.db, record(id, { deviceLabel: i === 0 ? 'Tablette du service' : null }))));
		const events = await handle.db.select().from(auditEvents).where(gt(auditEvents.id, before)).orderBy(asc(auditEvents.id));
		expect(events.map((e) => e.deviceId).sort()).toEqual([...deviceIds].sort());
		expect(events.every((e) => e.action === 'sync.pull' && e.actorId === actorId)).toBe(true);
		const touched = await Promise.all(deviceIds.map(async (id) => (await handle.db.select().from(devices).where(eq(devices.id, id)))[0]));
		expect(touched.map((d) => d.lastSyncAt?.toISOString())).toEqual(deviceIds.map(() => clock.now().toISOString()));
		expect(touched[0].label).toBe('Tablette du service');

		// A heartbeat's commit without the WAL flush is for its own transaction only: the pooled
		// connection it ran on is back to the server's setting afterwards.
		const [setting] = rowsOf<{ value: string }>(await handle.db.execute(sql`select current_setting('synchronous_commit') as value`));
		expect(setting.value).toBe('on');

		// An event that cannot be stored (an actor that is not an id) fails the whole statement:
		// the device row it came with is not touched either.
		const failedAt = await lastId();
		clock.advance(60_000);
		await expect(recordPull(handle.db, record(deviceIds[1], { actorId: 'not-an-id', now: clock.now() }))).rejects.toThrow();
		const [untouched] = await handle.db.select().from(devices).where(eq(devices.id, deviceIds[1]));
		expect(untouched.lastSyncAt?.toISOString()).toBe(new Date(clock.now().getTime() - 60_000).toISOString());
		expect(await lastId()).toBe(failedAt);

		// In a batch, the bad record fails alone: the batch is retried one record per statement.
		clock.advance(60_000);
		const outcomes = await Promise.allSettled([
			recordPull(handle.db, record(deviceIds[0], { now: clock.now() })),
			recordPull(handle.db, record(deviceIds[1], { actorId: 'not-an-id', now: clock.now() })),
			recordPull(handle.db, record(deviceIds[2], { now: clock.now() }))
		]);
		expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		const after = await Promise.all(deviceIds.map(async (id) => (await handle.db.select().from(devices).where(eq(devices.id, id)))[0].lastSyncAt?.toISOString()));
		expect(after).toEqual([clock.now().toISOString(), untouched.lastSyncAt?.toISOString(), clock.now().toISOString()]);
		const appended = await handle.db.select().from(auditEvents).where(gt(auditEvents.id, failedAt));
		expect(appended.map((e) => e.deviceId).sort()).toEqual([deviceIds[0], deviceIds[2]].sort());
		expect(await verifyAuditChain(handle.db)).toMatchObject({ status: 'intact' });
	});
});
