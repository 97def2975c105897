import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, auditEvents, cases, delegations, devices, emergencyGrants, notes, users } from '../../server/db/schema';
import { deviceCaseAccessFor } from '../../server/policy/caseAccessFor';
import { readChangedRows } from '../../server/sync/readCaseRows';
import { readPullHead } from '../../server/sync/pullHead';
import { verifyAuditChain } from '../../server/audit/verifyAuditChain';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, DAY, pullAll, seededDatabase, START, userId } from './syncTestKit';

/**
 * sync.pull answers most pulls from one prepared statement (server/sync/pullHead.ts) and takes
 * the full path otherwise. These tests hold that statement against the policy's own answer and
 * against the full path's reads, in every state that should send something: a wrong "nothing
 * changed" would leave a device without a change or with a case it may no longer hold.
 */
describe.each(databaseKinds)('sync.pull head on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
	});
	afterAll(async () => handle?.destroy());

	/** The head's answers beside the policy's and the full path's, for one device state. */
	async function compare(username: string, deviceId: string, state: { cursor: string | null; held: Set<string> }) {
		const id = await userId(handle.db, username);
		const cursor = Number(state.cursor ?? '0');
		const head = await readPullHead(handle.db, { userId: id, deviceId, heldCaseIds: [...state.held], cursor, now: clock.now() });
		if (!head) throw new Error('no head');
		const policy = [...(await deviceCaseAccessFor(handle.db, { id }, clock.now())).keys()].sort();
		expect([...head.allowedCaseIds].sort()).toEqual(policy);
		const rows = await readChangedRows(handle.db, [...state.held], cursor, 10_000, id);
		const changedRows = rows.caseRows.length + rows.personRows.length + rows.noteRows.length + rows.visitRows.length + rows.tombstoneRows.length;
		expect(head.changed).toBe(changedRows > 0);
		return head;
	}

	it('agrees with the policy and the change reads through assignment, note, delegation, emergency and revocation', async () => {
		const amelie = await callerAs(handle.db, 'tisf.amelie', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(amelie, deviceId, state);
		let head = await compare('tisf.amelie', deviceId, state);
		expect(head.changed).toBe(false);
		expect(head.deviceUserId).toBe(await userId(handle.db, 'tisf.amelie'));
		expect(head.deviceRevoked).toBe(false);

		// A note written by someone else on a held case.
		const [held] = await assignedCases(handle.db, 'tisf.amelie');
		const davidId = await userId(handle.db, 'chef.david');
		await handle.db.insert(notes).values({ id: crypto.randomUUID(), caseId: held.id, authorId: davidId, kind: 'observation', body: 'Note de la cheffe de service.', status: 'submitted', receivedAt: clock.now(), createdOnDeviceAt: clock.now() });
		head = await compare('tisf.amelie', deviceId, state);
		expect(head.changed).toBe(true);
		await pullAll(amelie, deviceId, state);
		expect((await compare('tisf.amelie', deviceId, state)).changed).toBe(false);

		// A new assignment, then its end.
		const [other] = await assignedCases(handle.db, 'aed.bruno');
		const amelieId = await userId(handle.db, 'tisf.amelie');
		await handle.db.insert(assignments).values({ caseId: other.id, userId: amelieId, role: 'intervenant', startsAt: clock.now() });
		head = await compare('tisf.amelie', deviceId, state);
		expect(head.allowedCaseIds).toContain(other.id);
		expect(state.held.has(other.id)).toBe(false);
		await pullAll(amelie, deviceId, state);
		expect(state.held.has(other.id)).toBe(true);
		await handle.db.update(assignments).set({ endsAt: clock.now() }).where(and(eq(assignments.caseId, other.id), eq(assignments.userId, amelieId)));
		head = await compare('tisf.amelie', deviceId, state);
		expect(head.allowedCaseIds).not.toContain(other.id);
		await pullAll(amelie, deviceId, state);
		expect(state.held.has(other.id)).toBe(false);

		// A delegation from a colleague, then its end by time.
		const gaelId = await userId(handle.db, 'aed.gael');
		await handle.db.insert(delegations).values({ fromUserId: gaelId, toUserId: amelieId, reason: 'Congé', startsAt: clock.now(), endsAt: new Date(clock.now().getTime() + DAY), createdBy: davidId });
		head = await compare('tisf.amelie', deviceId, state);
		expect(head.allowedCaseIds.length).toBeGreaterThan(state.held.size);
		await pullAll(amelie, deviceId, state);
		await compare('tisf.amelie', deviceId, state);
		clock.advance(DAY);
		head = await compare('tisf.amelie', deviceId, state);
		expect(head.allowedCaseIds.length).toBeLessThan(state.held.size);
		await pullAll(amelie, deviceId, state);

		// An emergency grant, then its expiry.
		const [foreign] = await assignedCases(handle.db, 'educ.chloe');
		await handle.db.insert(emergencyGrants).values({ userId: amelieId, caseId: foreign.id, reason: 'Mise à l’abri', grantedAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 3_600_000), createdBy: davidId });
		expect((await compare('tisf.amelie', deviceId, state)).allowedCaseIds).toContain(foreign.id);
		await pullAll(amelie, deviceId, state);
		clock.advance(3_600_000);
		expect((await compare('tisf.amelie', deviceId, state)).allowedCaseIds).not.toContain(foreign.id);
		await pullAll(amelie, deviceId, state);

		// An archived case leaves.
		const [archived] = [...state.held];
		await handle.db.update(cases).set({ status: 'archived' }).where(eq(cases.id, archived));
		expect((await compare('tisf.amelie', deviceId, state)).allowedCaseIds).not.toContain(archived);
		const [after] = await pullAll(amelie, deviceId, state);
		expect(after.revokedCaseIds).toContain(archived);
	});

	it('sees a revoked device, a disabled user and another user’s device, so that the full path answers them', async () => {
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(bruno, deviceId, state);
		const brunoId = await userId(handle.db, 'aed.bruno');
		const cursor = Number(state.cursor);
		const read = (id: string) => readPullHead(handle.db, { userId: id, deviceId, heldCaseIds: [...state.held], cursor, now: clock.now() });

		expect((await read(await userId(handle.db, 'tisf.amelie')))?.deviceUserId).toBe(brunoId);
		await handle.db.update(devices).set({ revokedAt: clock.now() }).where(eq(devices.id, deviceId));
		expect((await read(brunoId))?.deviceRevoked).toBe(true);
		expect(await bruno.sync.pull({ deviceId, cursor: state.cursor, heldCaseIds: [...state.held] })).toEqual({ wipe: true });

		await handle.db.update(users).set({ disabledAt: clock.now() }).where(eq(users.id, brunoId));
		expect((await read(brunoId))?.subject.disabled).toBe(true);
		await handle.db.update(users).set({ disabledAt: null }).where(eq(users.id, brunoId));
	});

	it('records an unchanged pull like any other: device synced, one audit event with no case', async () => {
		const chloe = await callerAs(handle.db, 'educ.chloe', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(chloe, deviceId, state);
		clock.advance(60_000);
		const page = await chloe.sync.pull({ deviceId, cursor: state.cursor, heldCaseIds: [...state.held] });
		if (page.wipe) throw new Error('wipe');
		expect(page).toMatchObject({ cursor: state.cursor, hasMore: false, revokedCaseIds: [], cases: [], notes: [], journalSecret: null, serverTime: clock.now().toISOString() });
		const [device] = await handle.db.select().from(devices).where(eq(devices.id, deviceId));
		expect(device.lastSyncAt?.toISOString()).toBe(clock.now().toISOString());
		const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.deviceId, deviceId)).orderBy(auditEvents.id);
		expect(events.at(-1)).toMatchObject({ action: 'sync.pull', outcome: 'success' });
		expect(events.at(-1)?.details).toMatchObject({ caseIds: [], rows: 0, cursor: state.cursor, nextCursor: state.cursor, registered: false });
	});

	it('group-commits concurrent pulls and their audit events, and the chain still verifies', async () => {
		const users = ['tisf.amelie', 'aed.bruno', 'educ.chloe', 'aed.gael'];
		const devicesOf = await Promise.all(
			users.map(async (username) => {
				const caller = await callerAs(handle.db, username, clock);
				const deviceId = crypto.randomUUID();
				const state = { cursor: null as string | null, held: new Set<string>() };
				await pullAll(caller, deviceId, state);
				return { caller, deviceId, state };
			})
		);
		const before = await handle.db.select({ id: auditEvents.id }).from(auditEvents);
		const pages = await Promise.all(
			Array.from({ length: 40 }, (_, i) => devicesOf[i % devicesOf.length]).map(({ caller, deviceId, state }) =>
				caller.sync.pull({ deviceId, cursor: state.cursor, heldCaseIds: [...state.held] })
			)
		);
		expect(pages.every((p) => !p.wipe && p.cases.length === 0)).toBe(true);
		const after = await handle.db.select({ id: auditEvents.id }).from(auditEvents);
		expect(after.length - before.length).toBe(40);
		const report = await verifyAuditChain(handle.db);
		expect(report.status).toBe('intact');
	});
});
