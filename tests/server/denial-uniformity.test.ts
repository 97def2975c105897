import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notes, persons, visits } from '../../server/db/schema';
import { requireCaseAccess } from '../../server/policy/checkCaseAccess';
import { requireNoteAccess, requirePersonAccess, requireVisitAccess } from '../../server/policy/requireResourceAccess';
import type { Mutation } from '../../src/lib/shared/sync';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, type Caller, seededDatabase, START, userId } from './syncTestKit';

/** A denial never tells whether the thing exists: the answer for a foreign id and for a made-up id is the same. */

async function denialOf(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (error) {
		if (!(error instanceof TRPCError)) throw error;
		return { code: error.code, message: error.message, cause: error.cause ? String(error.cause) : null };
	}
	throw new Error('expected a denial');
}

describe.each(databaseKinds)('denials on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	let chloe: Caller;
	let chloeDevice: string;
	let foreign: { caseId: string; noteId: string; noteVersion: number; visitId: string; visitVersion: number; personId: string; deviceId: string };

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		chloe = await callerAs(handle.db, 'educ.chloe', clock);
		chloeDevice = crypto.randomUUID();
		await chloe.sync.pull({ deviceId: chloeDevice, cursor: null, heldCaseIds: [] });
		const caseId = (await assignedCases(handle.db, 'aed.bruno'))[0].id;
		const [note] = await handle.db.select({ id: notes.id, version: notes.version }).from(notes).where(eq(notes.caseId, caseId)).limit(1);
		const [visit] = await handle.db.select({ id: visits.id, version: visits.version }).from(visits).where(eq(visits.caseId, caseId)).limit(1);
		const [person] = await handle.db.select({ id: persons.id }).from(persons).where(eq(persons.caseId, caseId)).limit(1);
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const brunoDevice = crypto.randomUUID();
		await bruno.sync.pull({ deviceId: brunoDevice, cursor: null, heldCaseIds: [] });
		foreign = { caseId, noteId: note.id, noteVersion: note.version, visitId: visit.id, visitVersion: visit.version, personId: person.id, deviceId: brunoDevice };
	});
	afterAll(async () => handle?.destroy());

	it('policy checks throw the same error for a case, person, note or visit that exists and one that does not', async () => {
		const user = { id: await userId(handle.db, 'educ.chloe') };
		const now = clock.now();
		const pairs = [
			[() => requireCaseAccess(handle.db, user, foreign.caseId, 'read', now), () => requireCaseAccess(handle.db, user, crypto.randomUUID(), 'read', now)],
			[() => requirePersonAccess(handle.db, user, foreign.personId, 'read', now), () => requirePersonAccess(handle.db, user, crypto.randomUUID(), 'read', now)],
			[() => requireNoteAccess(handle.db, user, foreign.noteId, 'write', now), () => requireNoteAccess(handle.db, user, crypto.randomUUID(), 'write', now)],
			[() => requireVisitAccess(handle.db, user, foreign.visitId, 'write', now), () => requireVisitAccess(handle.db, user, crypto.randomUUID(), 'write', now)]
		];
		for (const [existing, missing] of pairs) {
			const a = await denialOf(existing());
			expect(a).toEqual(await denialOf(missing()));
			expect(a).toMatchObject({ code: 'NOT_FOUND', message: 'not-found-or-no-access' });
		}
	});

	it('push rejects mutations on foreign and made-up ids with the same result', async () => {
		const random = crypto.randomUUID();
		const mutationsFor = (ids: { caseId: string; noteId: string; noteVersion: number; visitId: string; visitVersion: number }): Mutation[] => [
			{ id: crypto.randomUUID(), type: 'note.create', baseVersion: null, payload: { noteId: crypto.randomUUID(), caseId: ids.caseId, kind: 'call', body: 'Appel.', sensitiveCategory: null, createdOnDeviceAt: START.toISOString() } },
			{ id: crypto.randomUUID(), type: 'note.update', baseVersion: ids.noteVersion, payload: { noteId: ids.noteId, kind: 'call', body: 'Modifié.', sensitiveCategory: null, editedOnDeviceAt: START.toISOString() } },
			{ id: crypto.randomUUID(), type: 'visit.report', baseVersion: ids.visitVersion, payload: { visitId: ids.visitId, noteId: crypto.randomUUID(), body: 'Compte rendu.', sensitiveCategory: null, createdOnDeviceAt: START.toISOString() } },
			{ id: crypto.randomUUID(), type: 'visit.status', baseVersion: ids.visitVersion, payload: { visitId: ids.visitId, status: 'cancelled' } }
		];
		const strip = (out: Awaited<ReturnType<Caller['sync']['push']>>) => (out.wipe ? out : out.results.map(({ id: _id, ...rest }) => rest));
		const existing = strip(await chloe.sync.push({ deviceId: chloeDevice, mutations: mutationsFor(foreign) }));
		const missing = strip(await chloe.sync.push({ deviceId: chloeDevice, mutations: mutationsFor({ caseId: random, noteId: random, noteVersion: 1, visitId: random, visitVersion: 1 }) }));
		expect(existing).toEqual(missing);
		expect(existing).toEqual(Array(4).fill({ status: 'rejected', code: 'not-found-or-no-access' }));
	});

	it('pull revokes a held foreign case and a held made-up case alike', async () => {
		const made = crypto.randomUUID();
		const page = await chloe.sync.pull({ deviceId: chloeDevice, cursor: null, heldCaseIds: [foreign.caseId, made] });
		if (page.wipe) throw new Error('wipe');
		expect(page.revokedCaseIds.sort()).toEqual([foreign.caseId, made].sort());
		expect(page.cases.some((c) => c.id === foreign.caseId)).toBe(false);
	});

	it('push, journal and acknowledgeWipe answer the same for another user’s device and an unknown device', async () => {
		const entry = { seq: 1, at: START.toISOString(), caseId: foreign.caseId, noteId: null, action: 'case.view' as const, offline: true, mac: '0'.repeat(64) };
		const push = (deviceId: string) => chloe.sync.push({ deviceId, mutations: [{ id: crypto.randomUUID(), type: 'visit.status', baseVersion: 0, payload: { visitId: foreign.visitId, status: 'done' } }] });
		for (const call of [push, (d: string) => chloe.sync.journal({ deviceId: d, entries: [entry] }), (d: string) => chloe.sync.acknowledgeWipe({ deviceId: d })]) {
			const other = await denialOf(call(foreign.deviceId));
			expect(other).toEqual(await denialOf(call(crypto.randomUUID())));
			expect(other.message).toBe('not-found-or-no-access');
		}
		const pullOther = await denialOf(chloe.sync.pull({ deviceId: foreign.deviceId, cursor: null, heldCaseIds: [] }));
		expect(pullOther).toMatchObject({ code: 'NOT_FOUND', message: 'not-found-or-no-access' });
	});
});
