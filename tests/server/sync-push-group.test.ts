import { count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedMutations, auditEvents, notes, persons } from '../../server/db/schema';
import { verifyAuditChain } from '../../server/audit/verifyAuditChain';
import type { Mutation, MutationResult } from '../../src/lib/shared/sync';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, type Caller, seededDatabase, START } from './syncTestKit';

/**
 * Note creations pushed at the same time by several devices share one transaction
 * (pushMutations: group commit in phases). Each must still get its own outcome: applied once,
 * refused alone, a replay answered as a replay, one audit event each, the chain intact.
 */
const createNote = (caseId: string, noteId: string = crypto.randomUUID(), id: string = crypto.randomUUID()): Extract<Mutation, { type: 'note.create' }> => ({
	id,
	type: 'note.create',
	baseVersion: null,
	payload: { noteId, caseId, kind: 'observation', body: `Visite du jour, note ${noteId.slice(0, 8)}.`, sensitiveCategory: null, createdOnDeviceAt: START.toISOString() }
});

describe.each(databaseKinds)('grouped note creations on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	const workers = ['tisf.amelie', 'aed.bruno', 'educ.chloe'];
	let devices: { caller: Caller; deviceId: string; caseIds: string[] }[];

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		devices = await Promise.all(
			workers.map(async (username) => {
				const caller = await callerAs(handle.db, username, clock);
				const deviceId = crypto.randomUUID();
				await caller.sync.pull({ deviceId, cursor: null, heldCaseIds: [] });
				return { caller, deviceId, caseIds: (await assignedCases(handle.db, username)).map((c) => c.id) };
			})
		);
	});
	afterAll(async () => handle?.destroy());

	const push = (device: (typeof devices)[number], mutations: Mutation[]): Promise<MutationResult[]> =>
		device.caller.sync.push({ deviceId: device.deviceId, mutations }).then((out) => {
			if (out.wipe) throw new Error('wipe');
			return out.results;
		});

	it('applies concurrent creations of several devices once each, with one audit event each, and the chain verifies', async () => {
		const sent = Array.from({ length: 30 }, (_, i) => {
			const device = devices[i % devices.length];
			return { device, mutation: createNote(device.caseIds[i % device.caseIds.length]) };
		});
		const results = await Promise.all(sent.map(({ device, mutation }) => push(device, [mutation])));
		expect(results.map(([r]) => r.status)).toEqual(sent.map(() => 'applied'));
		const noteIds = sent.map(({ mutation }) => mutation.payload.noteId);
		const stored = await handle.db.select({ id: notes.id, version: notes.version, authorId: notes.authorId }).from(notes).where(inArray(notes.id, noteIds));
		expect(stored).toHaveLength(30);
		// Each answer carries its own note's version.
		for (const [i, [result]] of results.entries()) {
			expect(result).toMatchObject({ status: 'applied', version: stored.find((n) => n.id === noteIds[i])!.version });
		}
		const audited = await handle.db.select().from(auditEvents).where(inArray(auditEvents.noteId, noteIds));
		expect(audited).toHaveLength(30);
		expect(new Set(audited.map((e) => (e.details as { mutationId: string }).mutationId))).toEqual(new Set(sent.map(({ mutation }) => mutation.id)));
		expect((await verifyAuditChain(handle.db)).status).toBe('intact');
	});

	it('refuses a creation on a case the device may not write without touching the others sent with it', async () => {
		const [amelie, bruno] = devices;
		const foreign = createNote(bruno.caseIds[0]);
		const own = Array.from({ length: 6 }, (_, i) => createNote(amelie.caseIds[i % amelie.caseIds.length]));
		const results = await Promise.all([push(amelie, [foreign]), ...own.map((m) => push(amelie, [m]))]);
		expect(results[0][0]).toEqual({ id: foreign.id, status: 'rejected', code: 'not-found-or-no-access' });
		expect(results.slice(1).map(([r]) => r.status)).toEqual(own.map(() => 'applied'));
		expect((await handle.db.select({ n: count() }).from(notes).where(eq(notes.id, foreign.payload.noteId)))[0].n).toBe(0);
		const [refusal] = await handle.db.select().from(auditEvents).where(eq(auditEvents.noteId, foreign.payload.noteId));
		expect(refusal).toMatchObject({ action: 'sync.push.note.create', outcome: 'denied' });
	});

	it('answers the same mutation sent at once from retries as one creation and replays', async () => {
		const [, , chloe] = devices;
		const mutation = createNote(chloe.caseIds[0]);
		const results = (await Promise.all(Array.from({ length: 5 }, () => push(chloe, [mutation])))).map(([r]) => r);
		expect(results.filter((r) => r.status === 'applied')).toHaveLength(1);
		const applied = results.find((r) => r.status === 'applied')!;
		for (const r of results.filter((r) => r.status !== 'applied')) expect(r).toEqual({ id: mutation.id, status: 'duplicate', first: applied });
		expect((await handle.db.select({ n: count() }).from(notes).where(eq(notes.id, mutation.payload.noteId)))[0].n).toBe(1);
		expect((await handle.db.select({ n: count() }).from(appliedMutations).where(eq(appliedMutations.id, mutation.id)))[0].n).toBe(1);
	});

	it('keeps one note when the same note comes under two mutation ids at once', async () => {
		const [amelie] = devices;
		const noteId = crypto.randomUUID();
		const a = createNote(amelie.caseIds[1], noteId);
		const b = { ...a, id: crypto.randomUUID() };
		const [[ra], [rb]] = await Promise.all([push(amelie, [a]), push(amelie, [b])]);
		expect([ra.status, rb.status]).toEqual(['applied', 'applied']);
		expect((await handle.db.select({ n: count() }).from(notes).where(eq(notes.id, noteId)))[0].n).toBe(1);
	});

	it('gives each creation of a mixed batch its own outcome, and stores that same outcome for replays', async () => {
		const [amelie, , chloe] = devices;
		const [openCase, frozenCase, otherCase] = amelie.caseIds;
		expect(chloe.caseIds).not.toContain(openCase);
		await handle.db.update(persons).set({ frozenAt: clock.now() }).where(eq(persons.caseId, frozenCase));
		try {
			// Before the batch: a creation to replay, a note to send again under a new mutation id, and
			// a note whose id the batch reuses for something else. Each note id once in the batch (two
			// uses of one id would send the batch one by one: createBatch's clash rule).
			const earlier = createNote(openCase);
			const [[earlierResult], [againResult], [takenResult]] = await Promise.all(
				[earlier, createNote(openCase), createNote(otherCase)].map((m) => push(amelie, [m]))
			);
			const sameAgainSource = (await handle.db.select({ id: appliedMutations.id, result: appliedMutations.result }).from(appliedMutations).where(eq(appliedMutations.id, againResult.id)))[0];
			expect([earlierResult.status, againResult.status, takenResult.status, sameAgainSource.result]).toEqual(['applied', 'applied', 'applied', againResult]);
			const [againNote] = await handle.db.select().from(notes).where(eq(notes.version, (againResult as { version: number }).version));
			const [takenNote] = await handle.db.select().from(notes).where(eq(notes.version, (takenResult as { version: number }).version));
			const sameAgain = createNote(openCase, againNote.id);
			sameAgain.payload.body = againNote.body;
			const clash = createNote(openCase, takenNote.id);
			const fresh = Array.from({ length: 5 }, (_, i) => createNote(i % 2 ? openCase : otherCase));
			const onFrozenCase = createNote(frozenCase);
			const batch: { device: (typeof devices)[number]; mutation: Mutation }[] = [
				{ device: amelie, mutation: fresh[0] },
				{ device: amelie, mutation: earlier },
				{ device: amelie, mutation: fresh[1] },
				{ device: amelie, mutation: onFrozenCase },
				{ device: amelie, mutation: sameAgain },
				{ device: amelie, mutation: fresh[2] },
				{ device: amelie, mutation: clash },
				{ device: chloe, mutation: createNote(openCase) },
				{ device: amelie, mutation: fresh[3] },
				{ device: amelie, mutation: fresh[4] }
			];
			const results = (await Promise.all(batch.map(({ device, mutation }) => push(device, [mutation])))).map(([r]) => r);
			const byId = new Map(results.map((r) => [r.id, r]));
			const stored = await handle.db
				.select({ id: notes.id, version: notes.version })
				.from(notes)
				.where(inArray(notes.id, fresh.map((m) => m.payload.noteId)));
			for (const mutation of fresh) {
				expect(byId.get(mutation.id)).toEqual({ id: mutation.id, status: 'applied', version: stored.find((n) => n.id === mutation.payload.noteId)!.version });
			}
			expect(byId.get(earlier.id)).toEqual({ id: earlier.id, status: 'duplicate', first: earlierResult });
			expect(byId.get(batch[3].mutation.id)).toEqual({ id: batch[3].mutation.id, status: 'rejected', code: 'frozen' });
			expect(byId.get(sameAgain.id)).toEqual({ id: sameAgain.id, status: 'applied', version: againNote.version });
			expect(byId.get(clash.id)).toEqual({ id: clash.id, status: 'rejected', code: 'invalid' });
			expect(byId.get(batch[7].mutation.id)).toEqual({ id: batch[7].mutation.id, status: 'rejected', code: 'not-found-or-no-access' });
			// What a replay would answer is what each one was told.
			const kept = await handle.db
				.select({ id: appliedMutations.id, result: appliedMutations.result })
				.from(appliedMutations)
				.where(inArray(appliedMutations.id, batch.map(({ mutation }) => mutation.id)));
			for (const { id, result } of kept) expect(result, id).toEqual(id === earlier.id ? earlierResult : byId.get(id));
			expect(kept).toHaveLength(batch.length);
			expect((await handle.db.select({ n: count() }).from(notes).where(eq(notes.id, onFrozenCase.payload.noteId)))[0].n).toBe(0);
			expect((await verifyAuditChain(handle.db)).status).toBe('intact');
		} finally {
			await handle.db.update(persons).set({ frozenAt: null }).where(eq(persons.caseId, frozenCase));
		}
	});
});
