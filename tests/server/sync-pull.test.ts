import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, auditEvents, cases, delegations, devices, emergencyGrants, journalHeads, notes, users } from '../../server/db/schema';
import { pullChanges } from '../../server/sync/pullChanges';
import { JOURNAL_GENESIS_MAC, pullOutputSchema } from '../../src/lib/shared/sync';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, DAY, errorOf, pullAll, seededDatabase, START, userId, type PullPage } from './syncTestKit';

describe.each(databaseKinds)('sync.pull on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
	});
	afterAll(async () => handle?.destroy());

	it('registers an unknown device, returns its journal secret once, and sends the caseload in full', async () => {
		const amelie = await callerAs(handle.db, 'tisf.amelie', clock);
		const deviceId = crypto.randomUUID();
		const first = await amelie.sync.pull({ deviceId, deviceLabel: 'Tablette', cursor: null, heldCaseIds: [] });
		expect(pullOutputSchema.safeParse(first).success).toBe(true);
		if (first.wipe) throw new Error('wipe');
		expect(first.journalSecret).toMatch(/^[0-9a-f]{64}$/);
		expect(first.journalAckSeq).toBe(0);
		expect(first.policy).toEqual({ lockTimeoutSeconds: 300, maxOfflineDays: 7 });
		expect(first.serverTime).toBe(clock.now().toISOString());
		const mine = await assignedCases(handle.db, 'tisf.amelie');
		expect(first.cases.map((c) => c.id).sort()).toEqual(mine.map((c) => c.id).sort());
		expect(first.hasMore).toBe(false);
		expect(first.cases.every((c) => c.access.kind === 'assignment')).toBe(true);
		expect(first.persons.length).toBeGreaterThan(0);
		expect(new Set(first.persons.map((p) => p.caseId)).size).toBeLessThanOrEqual(mine.length);

		const [device] = await handle.db.select().from(devices).where(eq(devices.id, deviceId));
		expect(device.journalSecret).toBe(first.journalSecret);
		expect(device.lastSyncAt?.toISOString()).toBe(clock.now().toISOString());
		const [head] = await handle.db.select().from(journalHeads).where(eq(journalHeads.deviceId, deviceId));
		expect(head).toMatchObject({ lastSeq: 0, lastMac: JOURNAL_GENESIS_MAC });

		const again = await amelie.sync.pull({ deviceId, cursor: first.cursor, heldCaseIds: first.cases.map((c) => c.id) });
		if (again.wipe) throw new Error('wipe');
		expect(again.journalSecret).toBeNull();
		expect(again.cases).toHaveLength(0);
		expect(again.notes).toHaveLength(0);
		expect(again.revokedCaseIds).toHaveLength(0);
	});

	it('writes one audit event per pull, naming the cases sent', async () => {
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const deviceId = crypto.randomUUID();
		const page = await bruno.sync.pull({ deviceId, cursor: null, heldCaseIds: [] });
		if (page.wipe) throw new Error('wipe');
		const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.deviceId, deviceId));
		expect(events).toHaveLength(1);
		expect(events[0].action).toBe('sync.pull');
		expect((events[0].details as { caseIds: string[] }).caseIds).toEqual(page.cases.map((c) => c.id).sort());
	});

	it('sends a sensitive note without its text to a reader who lacks the habilitation', async () => {
		const [restrictedNote] = await handle.db
			.select({ id: notes.id, caseId: notes.caseId })
			.from(notes)
			.innerJoin(users, eq(users.id, notes.authorId))
			.where(and(eq(users.username, 'tisf.amelie'), eq(notes.sensitiveCategory, 'health')))
			.limit(1);
		// Amélie holds 'health' only: a 'religion' note on her case must come restricted.
		const noteId = crypto.randomUUID();
		const caseId = restrictedNote?.caseId ?? (await assignedCases(handle.db, 'tisf.amelie'))[0].id;
		await handle.db.insert(notes).values({
			id: noteId,
			caseId,
			authorId: await userId(handle.db, 'chef.david'),
			kind: 'observation',
			body: 'Texte religieux fictif',
			sensitiveCategory: 'religion',
			createdOnDeviceAt: clock.now()
		});
		const amelie = await callerAs(handle.db, 'tisf.amelie', clock);
		const page = (await amelie.sync.pull({ deviceId: crypto.randomUUID(), cursor: null, heldCaseIds: [] })) as PullPage;
		const record = page.notes.find((n) => n.id === noteId)!;
		expect(record).toMatchObject({ body: null, restricted: true, sensitiveCategory: 'religion' });
		const health = page.notes.find((n) => n.sensitiveCategory === 'health');
		if (health) expect(health).toMatchObject({ restricted: false });
		expect(health?.body ?? 'x').not.toBeNull();
	});

	it('does not cache a lead’s team offline: a lead without assignment pulls no case', async () => {
		const david = await callerAs(handle.db, 'chef.david', clock);
		const page = (await david.sync.pull({ deviceId: crypto.randomUUID(), cursor: null, heldCaseIds: [] })) as PullPage;
		expect(page.wipe).toBe(false);
		expect(page.cases).toHaveLength(0);
	});

	it('refuses a device of another user as not found, and answers a revoked device with a wipe only', async () => {
		const deviceId = crypto.randomUUID();
		const chloe = await callerAs(handle.db, 'educ.chloe', clock);
		await chloe.sync.pull({ deviceId, cursor: null, heldCaseIds: [] });
		const gael = await callerAs(handle.db, 'aed.gael', clock);
		const error = await errorOf(gael.sync.pull({ deviceId, cursor: null, heldCaseIds: [] }));
		expect(error.message).toBe('not-found-or-no-access');

		await handle.db.update(devices).set({ revokedAt: clock.now() }).where(eq(devices.id, deviceId));
		expect(await chloe.sync.pull({ deviceId, cursor: null, heldCaseIds: [] })).toEqual({ wipe: true });
		expect(await chloe.sync.push({ deviceId, mutations: [{ id: crypto.randomUUID(), type: 'visit.status', baseVersion: 0, payload: { visitId: crypto.randomUUID(), status: 'done' } }] })).toEqual({ wipe: true });
		expect(await chloe.sync.acknowledgeWipe({ deviceId })).toEqual({ acknowledged: true });
		const [device] = await handle.db.select().from(devices).where(eq(devices.id, deviceId));
		expect(device.wipeAcknowledgedAt?.toISOString()).toBe(clock.now().toISOString());
		const acks = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.deviceId, deviceId), eq(auditEvents.action, 'device.wipe.acknowledged')));
		expect(acks).toHaveLength(1);
	});

	it('revokes an unassigned case at the next pull and brings it back in full when reassigned', async () => {
		const gael = await callerAs(handle.db, 'aed.gael', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(gael, deviceId, state);
		const [target] = await assignedCases(handle.db, 'aed.gael');
		expect(state.held.has(target.id)).toBe(true);
		const gaelId = await userId(handle.db, 'aed.gael');

		await handle.db.update(assignments).set({ endsAt: clock.now() }).where(and(eq(assignments.userId, gaelId), eq(assignments.caseId, target.id)));
		const [revoked] = await pullAll(gael, deviceId, state);
		expect(revoked.revokedCaseIds).toEqual([target.id]);
		expect(revoked.cases).toHaveLength(0);
		expect(state.held.has(target.id)).toBe(false);

		clock.advance(60_000);
		await handle.db.insert(assignments).values({ userId: gaelId, caseId: target.id, role: 'referent', startsAt: clock.now() });
		const [back] = await pullAll(gael, deviceId, state);
		expect(back.cases.map((c) => c.id)).toEqual([target.id]);
		const [{ noteCount }] = await handle.db.select({ noteCount: notes.id }).from(notes).where(eq(notes.caseId, target.id)).limit(1).then((r) => [{ noteCount: r.length }]);
		expect(back.notes.length).toBeGreaterThanOrEqual(noteCount);
		expect(back.persons.every((p) => p.caseId === target.id)).toBe(true);
		expect(back.persons.length).toBeGreaterThan(0);
	});

	it('gives a covering colleague the absent worker’s cases during the delegation and removes them at the first pull after it', async () => {
		const [amelieId, gaelId, davidId] = await Promise.all(['tisf.amelie', 'aed.gael', 'chef.david'].map((u) => userId(handle.db, u)));
		await handle.db.insert(delegations).values({
			fromUserId: amelieId,
			toUserId: gaelId,
			reason: 'Congé',
			startsAt: clock.now(),
			endsAt: new Date(clock.now().getTime() + 3 * DAY),
			createdBy: davidId
		});
		const gael = await callerAs(handle.db, 'aed.gael', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		const pages = await pullAll(gael, deviceId, state);
		const amelieCases = (await assignedCases(handle.db, 'tisf.amelie')).map((c) => c.id);
		const covered = pages.flatMap((p) => p.cases).filter((c) => c.access.kind === 'delegation');
		expect(covered.map((c) => c.id).sort()).toEqual([...amelieCases].sort());
		expect(covered[0].access.coveringFor).toBe('Amélie Roussel');
		expect(covered[0].access.until).toBe(new Date(clock.now().getTime() + 3 * DAY).toISOString());

		clock.advance(3 * DAY);
		const [after] = await pullAll(gael, deviceId, state);
		expect(after.revokedCaseIds.sort()).toEqual([...amelieCases].sort());
	});

	it('sends an emergency grant’s case, and stops at its expiry', async () => {
		const chloe = await callerAs(handle.db, 'educ.chloe', clock);
		const [foreign] = await assignedCases(handle.db, 'aed.bruno');
		await handle.db.insert(emergencyGrants).values({
			userId: await userId(handle.db, 'educ.chloe'),
			caseId: foreign.id,
			reason: 'Mise à l’abri de nuit',
			grantedAt: clock.now(),
			expiresAt: new Date(clock.now().getTime() + 2 * 3_600_000),
			createdBy: await userId(handle.db, 'chef.david')
		});
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		const pages = await pullAll(chloe, deviceId, state);
		expect(pages.flatMap((p) => p.cases).find((c) => c.id === foreign.id)?.access.kind).toBe('emergency');
		clock.advance(2 * 3_600_000);
		const [after] = await pullAll(chloe, deviceId, state);
		expect(after.revokedCaseIds).toEqual([foreign.id]);
	});

	it('never sends an archived case, and revokes it from a device that holds it', async () => {
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(bruno, deviceId, state);
		const [target] = await assignedCases(handle.db, 'aed.bruno');
		await handle.db.update(cases).set({ status: 'archived', archivedAt: clock.now() }).where(eq(cases.id, target.id));
		const [page] = await pullAll(bruno, deviceId, state);
		expect(page.revokedCaseIds).toContain(target.id);
		await handle.db.update(cases).set({ status: 'open', archivedAt: null }).where(eq(cases.id, target.id));
	});

	it('sends only what changed since the cursor', async () => {
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(bruno, deviceId, state);
		const [target] = await assignedCases(handle.db, 'aed.bruno');
		const [note] = await handle.db.select({ id: notes.id }).from(notes).where(eq(notes.caseId, target.id)).limit(1);
		await handle.db.update(notes).set({ reviewComment: 'Vu' }).where(eq(notes.id, note.id));
		const [page] = await pullAll(bruno, deviceId, state);
		expect(page.notes.map((n) => n.id)).toEqual([note.id]);
		expect(page.cases).toHaveLength(0);
		expect(page.persons).toHaveLength(0);
	});

	it('pages: every row arrives exactly once in version order, whole new cases never split, nothing missed', async () => {
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const user = { id: await userId(handle.db, 'aed.bruno') };
		const deviceId = crypto.randomUUID();
		const reference = await pullAll(bruno, deviceId, { cursor: null, held: new Set() });
		const all = reference.flatMap((p) => [...p.cases, ...p.persons, ...p.notes, ...p.visits].map((r) => r.id)).sort();

		const small = crypto.randomUUID();
		const held = new Set<string>();
		let cursor: string | null = null;
		const seen: string[] = [];
		const noteComments = new Map<string, string | null>();
		let changedNoteId: string | null = null;
		let pages = 0;
		for (;;) {
			const page = await pullChanges(handle.db, user, { deviceId: small, cursor, heldCaseIds: [...held] }, clock.now(), 7);
			if (page.wipe) throw new Error('wipe');
			pages++;
			for (const c of page.cases) {
				if (!held.has(c.id)) {
					// A new case comes with all its persons in the same page.
					expect(page.persons.some((p) => p.caseId === c.id)).toBe(true);
				}
				held.add(c.id);
			}
			seen.push(...[...page.cases, ...page.persons, ...page.notes, ...page.visits].map((r) => r.id));
			for (const n of page.notes) noteComments.set(n.id, n.reviewComment);
			cursor = page.cursor;
			if (!page.hasMore) break;
			// A change landing between two pages must still arrive.
			if (pages === 2) {
				const [note] = await handle.db.select({ id: notes.id }).from(notes).where(eq(notes.caseId, [...held][0])).limit(1);
				await handle.db.update(notes).set({ reviewComment: 'Relu entre deux pages' }).where(eq(notes.id, note.id));
				changedNoteId = note.id;
			}
		}
		expect(changedNoteId).not.toBeNull();
		expect(noteComments.get(changedNoteId!)).toBe('Relu entre deux pages');
		expect(pages).toBeGreaterThan(3);
		expect([...new Set(seen)].sort()).toEqual([...new Set(all)].sort());
		const final = await pullChanges(handle.db, user, { deviceId: small, cursor, heldCaseIds: [...held] }, clock.now(), 7);
		expect(final).toMatchObject({ hasMore: false, cases: [], notes: [], persons: [], visits: [] });
	});
});
