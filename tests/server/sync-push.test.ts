import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedMutations, auditEvents, cases, noteRevisions, notes, persons, visits } from '../../server/db/schema';
import type { Mutation } from '../../src/lib/shared/sync';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, type Caller, errorOf, seededDatabase, START } from './syncTestKit';

const createNote = (caseId: string, body = 'Visite à domicile, échange avec la famille.', noteId: string = crypto.randomUUID()): Mutation => ({
	id: crypto.randomUUID(),
	type: 'note.create',
	baseVersion: null,
	payload: { noteId, caseId, kind: 'observation', body, sensitiveCategory: null, createdOnDeviceAt: START.toISOString() }
});
const updateNote = (noteId: string, baseVersion: number, body: string): Mutation => ({
	id: crypto.randomUUID(),
	type: 'note.update',
	baseVersion,
	payload: { noteId, kind: 'observation', body, sensitiveCategory: null, editedOnDeviceAt: START.toISOString() }
});

describe.each(databaseKinds)('sync.push on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	let amelie: Caller;
	let deviceA: string;
	let deviceB: string;
	let caseId: string;

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		amelie = await callerAs(handle.db, 'tisf.amelie', clock);
		deviceA = crypto.randomUUID();
		deviceB = crypto.randomUUID();
		await amelie.sync.pull({ deviceId: deviceA, cursor: null, heldCaseIds: [] });
		await amelie.sync.pull({ deviceId: deviceB, cursor: null, heldCaseIds: [] });
		caseId = (await assignedCases(handle.db, 'tisf.amelie'))[0].id;
	});
	afterAll(async () => handle?.destroy());

	const push = (deviceId: string, mutations: Mutation[]) =>
		amelie.sync.push({ deviceId, mutations }).then((out) => {
			if (out.wipe) throw new Error('wipe');
			return out.results;
		});

	it('applies a batch, audits each mutation in its transaction, and a replay changes nothing and returns the first results', async () => {
		const batch = [createNote(caseId), createNote(caseId, 'Appel de la mère, rendez-vous fixé.')];
		const first = await push(deviceA, batch);
		expect(first.map((r) => r.status)).toEqual(['applied', 'applied']);
		const audited = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'sync.push.note.create'));
		expect(audited.map((e) => (e.details as { mutationId: string }).mutationId)).toEqual(expect.arrayContaining(batch.map((m) => m.id)));

		const snapshot = async () => ({
			notes: (await handle.db.select({ n: count() }).from(notes))[0].n,
			revisions: (await handle.db.select({ n: count() }).from(noteRevisions))[0].n,
			audit: (await handle.db.select({ n: count() }).from(auditEvents))[0].n,
			versions: await handle.db.select({ id: notes.id, version: notes.version }).from(notes).where(eq(notes.caseId, caseId)).orderBy(notes.id)
		});
		const before = await snapshot();
		const replay = await push(deviceA, batch);
		expect(replay).toEqual(first.map((r) => ({ id: r.id, status: 'duplicate', first: r })));
		const replayAgain = await push(deviceA, batch);
		expect(replayAgain).toEqual(replay);
		expect(await snapshot()).toEqual(before);
	});

	it('keeps both texts when two devices edit the same note: one as a conflict revision', async () => {
		const create = createNote(caseId, 'Première version.');
		const [created] = await push(deviceA, [create]);
		if (created.status !== 'applied') throw new Error(created.status);
		const noteId = (create.payload as { noteId: string }).noteId;

		const fromA = await push(deviceA, [updateNote(noteId, created.version, 'Texte de la tablette A.')]);
		const fromB = await push(deviceB, [updateNote(noteId, created.version, 'Texte de la tablette B.')]);
		expect(fromA[0].status).toBe('applied');
		expect(fromB[0].status).toBe('conflict');
		if (fromB[0].status !== 'conflict') throw new Error('no conflict');

		const [current] = await handle.db.select().from(notes).where(eq(notes.id, noteId));
		const [revision] = await handle.db.select().from(notes).where(eq(notes.id, fromB[0].revisionId));
		expect(current.body).toBe('Texte de la tablette A.');
		expect(current.revision).toBe(2);
		expect(revision).toMatchObject({ body: 'Texte de la tablette B.', conflictOf: noteId, caseId, status: 'submitted', authorId: current.authorId });
		const history = await handle.db.select().from(noteRevisions).where(eq(noteRevisions.noteId, noteId));
		expect(history.map((h) => h.body)).toEqual(['Première version.']);

		// The conflict revision reaches the device, beside the note.
		const page = await amelie.sync.pull({ deviceId: deviceB, cursor: String(created.version), heldCaseIds: [caseId] });
		if (page.wipe) throw new Error('wipe');
		expect(page.notes.find((n) => n.id === fromB[0].id || n.id === (fromB[0] as { revisionId: string }).revisionId)?.conflictOf).toBe(noteId);
	});

	it('refuses with a code the UI can show: reviewed note, someone else’s note, frozen person, closed case, reused note id, no access', async () => {
		const reviewedCreate = createNote(caseId, 'À relire.');
		const [reviewedResult] = await push(deviceA, [reviewedCreate]);
		const reviewedId = (reviewedCreate.payload as { noteId: string }).noteId;
		await handle.db.update(notes).set({ status: 'reviewed' }).where(eq(notes.id, reviewedId));
		const [{ version: reviewedVersion }] = await handle.db.select({ version: notes.version }).from(notes).where(eq(notes.id, reviewedId));
		expect(reviewedResult.status).toBe('applied');

		const [othersNote] = await handle.db.select({ id: notes.id, version: notes.version }).from(notes).where(sql`${notes.caseId} = ${caseId} and ${notes.authorId} <> (select id from users where username = 'tisf.amelie')`).limit(1);
		const foreignCase = (await assignedCases(handle.db, 'aed.gael'))[0].id;
		const results = await push(deviceA, [
			updateNote(reviewedId, reviewedVersion, 'Modifié après relecture.'),
			...(othersNote ? [updateNote(othersNote.id, othersNote.version, 'Pas mon texte.')] : []),
			createNote(foreignCase),
			createNote(caseId, 'Réutilise un identifiant.', reviewedId),
			createNote((await assignedCases(handle.db, 'tisf.amelie'))[1].id, 'À relire.', reviewedId),
			createNote(caseId, 'À relire.', reviewedId)
		]);
		const codes = results.map((r) => (r.status === 'rejected' ? r.code : r.status));
		expect(codes).toEqual(['already-reviewed', ...(othersNote ? ['not-found-or-no-access'] : []), 'not-found-or-no-access', 'invalid', 'invalid', 'applied']);

		const [frozenCase, closedCase] = (await assignedCases(handle.db, 'tisf.amelie')).slice(1, 3).map((c) => c.id);
		await handle.db.update(persons).set({ frozenAt: clock.now() }).where(eq(persons.caseId, frozenCase));
		await handle.db.update(cases).set({ status: 'closed' }).where(eq(cases.id, closedCase));
		const [visit] = await handle.db.select().from(visits).where(eq(visits.caseId, frozenCase)).limit(1);
		const more = await push(deviceA, [
			createNote(frozenCase),
			{ id: crypto.randomUUID(), type: 'visit.status', baseVersion: visit.version, payload: { visitId: visit.id, status: 'cancelled' } },
			createNote(closedCase)
		]);
		expect(more.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['frozen', 'frozen', 'case-closed']);
		await handle.db.update(persons).set({ frozenAt: null }).where(eq(persons.caseId, frozenCase));
		await handle.db.update(cases).set({ status: 'open' }).where(eq(cases.id, closedCase));
	});

	it('re-checks authorization per mutation: a case unassigned after the edit was made offline is refused', async () => {
		const gael = await callerAs(handle.db, 'aed.gael', clock);
		const device = crypto.randomUUID();
		await gael.sync.pull({ deviceId: device, cursor: null, heldCaseIds: [] });
		const [target] = await assignedCases(handle.db, 'aed.gael');
		await handle.db.execute(sql`update assignments set ends_at = ${clock.now().toISOString()}::timestamptz where case_id = ${target.id} and user_id = (select id from users where username = 'aed.gael')`);
		const out = await gael.sync.push({ deviceId: device, mutations: [createNote(target.id)] });
		expect(out).toEqual({ wipe: false, results: [expect.objectContaining({ status: 'rejected', code: 'not-found-or-no-access' })] });
	});

	it('reports a visit and changes a visit status', async () => {
		const [visit] = await handle.db.select().from(visits).where(and(eq(visits.caseId, caseId), eq(visits.status, 'planned'))).limit(1);
		const noteId = crypto.randomUUID();
		const results = await push(deviceA, [
			{ id: crypto.randomUUID(), type: 'visit.report', baseVersion: visit.version, payload: { visitId: visit.id, noteId, body: 'Compte rendu de visite.', sensitiveCategory: null, createdOnDeviceAt: START.toISOString() } }
		]);
		expect(results[0].status).toBe('applied');
		const [after] = await handle.db.select().from(visits).where(eq(visits.id, visit.id));
		expect(after).toMatchObject({ reportNoteId: noteId, status: 'done' });
		const [report] = await handle.db.select().from(notes).where(eq(notes.id, noteId));
		expect(report).toMatchObject({ kind: 'visit_report', visitId: visit.id, caseId });
		const status = await push(deviceA, [{ id: crypto.randomUUID(), type: 'visit.status', baseVersion: after.version, payload: { visitId: visit.id, status: 'missed' } }]);
		expect(status[0].status).toBe('applied');
	});

	it('an unexpected error in one mutation rejects it as invalid, stores nothing for it, and the others apply', async () => {
		await handle.db.execute(sql.raw(`
			create or replace function test_fail_on_boom() returns trigger as $$
			begin
				if new.body = 'BOOM' then raise exception 'injected failure'; end if;
				return new;
			end; $$ language plpgsql`));
		await handle.db.execute(sql.raw('create trigger test_fail_on_boom before insert on notes for each row execute function test_fail_on_boom()'));
		const failing = createNote(caseId, 'BOOM');
		const batch = [createNote(caseId, 'Avant.'), failing, createNote(caseId, 'Après.')];
		const results = await push(deviceA, batch);
		expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['applied', 'invalid', 'applied']);
		expect(await handle.db.select().from(appliedMutations).where(eq(appliedMutations.id, failing.id))).toHaveLength(0);
		await handle.db.execute(sql.raw('drop trigger test_fail_on_boom on notes'));
		const retry = await push(deviceA, [failing]);
		expect(retry[0].status).toBe('applied');
	});

	it('refuses a push from an unregistered device or another user’s device with the same answer', async () => {
		const gael = await callerAs(handle.db, 'aed.gael', clock);
		const unknown = await errorOf(gael.sync.push({ deviceId: crypto.randomUUID(), mutations: [createNote(caseId)] }));
		const foreign = await errorOf(gael.sync.push({ deviceId: deviceA, mutations: [createNote(caseId)] }));
		expect(foreign.code).toBe(unknown.code);
		expect(foreign.message).toBe(unknown.message);
		expect(unknown.message).toBe('not-found-or-no-access');
	});
});
