import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, cases, persons, rightsRequests, tombstones } from '../../server/db/schema';
import { rightsDueDate } from '../../server/rights/rightsDeadline';
import type { Mutation } from '../../src/lib/shared/sync';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, errorOf, pullAll, seededDatabase, START } from './syncTestKit';
import { insertClosedCase } from './dpoTestKit';

const noteOn = (caseId: string): Mutation => ({
	id: crypto.randomUUID(),
	type: 'note.create',
	baseVersion: null,
	payload: { noteId: crypto.randomUUID(), caseId, kind: 'observation', body: 'Appel de la mère.', sensitiveCategory: null, createdOnDeviceAt: START.toISOString() }
});

describe('rights deadlines', () => {
	it('one month from receipt, three when extended, the 31st falling back to the end of a short month', () => {
		expect(rightsDueDate('2026-01-31', false)).toBe('2026-02-28');
		expect(rightsDueDate('2026-01-31', true)).toBe('2026-04-30');
		expect(rightsDueDate('2026-11-20', false)).toBe('2026-12-20');
	});
});

describe.each(databaseKinds)('rights of the persons on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	let caseId: string;
	let personId: string;

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		caseId = (await assignedCases(handle.db, 'aed.bruno'))[0].id;
		personId = (await handle.db.select({ id: persons.id }).from(persons).where(and(eq(persons.caseId, caseId), eq(persons.role, 'parent'))))[0].id;
	});
	afterAll(async () => handle?.destroy());

	it('registers requests with their deadline and lists the most urgent first', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const late = await dpo.dpo.rights.register({ kind: 'access', requesterName: 'Mme A.', receivedAt: '2026-10-01', personId });
		const soon = await dpo.dpo.rights.register({ kind: 'rectification', requesterName: 'M. B.', receivedAt: '2026-11-01', personId: null });
		const later = await dpo.dpo.rights.register({ kind: 'erasure', requesterName: 'Mme C.', receivedAt: '2026-11-20', personId: null });
		expect(soon.dueAt).toBe('2026-12-01');
		await dpo.dpo.rights.close({ id: later.id, status: 'refused', outcome: 'Mesure en cours : exception de l’article 17.3 b).' });
		const { requests } = await dpo.dpo.rights.list();
		expect(requests.map((r) => r.id)).toEqual([late.id, soon.id, later.id]);
		expect(requests[0]).toMatchObject({ daysLeft: -22, status: 'open', personLabel: expect.any(String) });
		expect(requests[1].daysLeft).toBe(8);
		expect(requests[2]).toMatchObject({ status: 'refused', daysLeft: null });
		const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'rights.request'));
		expect(events).toHaveLength(3);
		expect(JSON.stringify(events.map((e) => e.details))).not.toContain('Mme A.');
		// A date received in the future is refused.
		expect((await errorOf(dpo.dpo.rights.register({ kind: 'access', requesterName: 'X', receivedAt: '2027-01-01', personId: null }))).code).toBe('BAD_REQUEST');
	});

	it('extends a deadline to three months once, with a reason, and not after closing', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const request = await dpo.dpo.rights.register({ kind: 'portability', requesterName: 'M. D.', receivedAt: '2026-11-10', personId: null });
		expect(await dpo.dpo.rights.extend({ id: request.id, reason: 'Dossier volumineux, plusieurs services concernés' })).toEqual({ dueAt: '2027-02-10' });
		expect((await errorOf(dpo.dpo.rights.extend({ id: request.id, reason: 'Encore' }))).message).toBe('deadline-already-extended');
		await dpo.dpo.rights.close({ id: request.id, status: 'done', outcome: 'Export transmis en main propre.' });
		expect((await errorOf(dpo.dpo.rights.close({ id: request.id, status: 'done', outcome: 'Encore une fois' }))).message).toBe('request-closed');
		const [row] = await handle.db.select().from(rightsRequests).where(eq(rightsRequests.id, request.id));
		expect(row).toMatchObject({ status: 'done', extensionReason: 'Dossier volumineux, plusieurs services concernés', dueAt: '2027-02-10' });
	});

	it('limitation freezes the person: devices receive `frozen`, edits on the case are refused, until it is lifted', async () => {
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(bruno, deviceId, state);
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		expect(await dpo.dpo.rights.limit({ personId, frozen: true, reason: 'Conteste son adresse' })).toMatchObject({ frozen: true });

		const pages = await pullAll(bruno, deviceId, state);
		expect(pages.flatMap((p) => p.persons).find((p) => p.id === personId)).toMatchObject({ frozen: true });
		const push = await bruno.sync.push({ deviceId, mutations: [noteOn(caseId)] });
		if (push.wipe) throw new Error('wipe');
		expect(push.results[0]).toMatchObject({ status: 'rejected', code: 'frozen' });

		await dpo.dpo.rights.limit({ personId, frozen: false, reason: 'Vérification faite' });
		const after = await pullAll(bruno, deviceId, state);
		expect(after.flatMap((p) => p.persons).find((p) => p.id === personId)).toMatchObject({ frozen: false });
		const pushAgain = await bruno.sync.push({ deviceId, mutations: [noteOn(caseId)] });
		if (pushAgain.wipe) throw new Error('wipe');
		expect(pushAgain.results[0].status).toBe('applied');
		const events = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'rights.limitation'), eq(auditEvents.personId, personId))).orderBy(asc(auditEvents.id));
		expect(events.map((e) => (e.details as { frozen: boolean }).frozen)).toEqual([true, false]);
	});

	it('rectification writes the before and the after of each changed field to the audit trail', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const [before] = await handle.db.select().from(persons).where(eq(persons.id, personId));
		const result = await dpo.dpo.rights.rectify({ personId, changes: { address: '12 rue Neuve, 99100 Démoville', lastName: before.lastName }, reason: 'Déménagement signalé' });
		expect(result.changed).toEqual(['address']);
		const [event] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'rights.rectification'), eq(auditEvents.personId, personId)));
		expect(event.details).toMatchObject({ before: { address: before.address }, after: { address: '12 rue Neuve, 99100 Démoville' }, reason: 'Déménagement signalé' });
		expect((await errorOf(dpo.dpo.rights.rectify({ personId, changes: { address: '12 rue Neuve, 99100 Démoville' }, reason: 'Rien' }))).message).toBe('nothing-to-change');
	});

	it('erasure names the exceptions: a measure in progress or a limitation blocks it', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const error = await errorOf(dpo.dpo.rights.erase({ personId, scope: 'case', ground: 'no-longer-necessary', confirmNoException: true }));
		expect(error.message).toBe('erasure-refused');
		expect((error.cause as { details?: unknown } | undefined)?.details).toEqual({ exceptions: ['measure-in-progress'] });
		const unconfirmed = await errorOf(dpo.dpo.rights.erase({ personId, scope: 'person', ground: 'unlawful-processing', confirmNoException: false }));
		expect(unconfirmed.message).toBe('erasure-refused');
		await dpo.dpo.rights.limit({ personId, frozen: true, reason: 'Vérification' });
		const frozen = await errorOf(dpo.dpo.rights.erase({ personId, scope: 'person', ground: 'unlawful-processing', confirmNoException: true }));
		expect((frozen.cause as { details?: unknown } | undefined)?.details).toEqual({ exceptions: ['limitation-pending'] });
		await dpo.dpo.rights.limit({ personId, frozen: false, reason: 'Fin de vérification' });
	});

	it('erases a wrongly collected record on a live case; devices get its tombstone', async () => {
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(bruno, deviceId, state);
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const result = await dpo.dpo.rights.erase({ personId, scope: 'person', ground: 'unlawful-processing', confirmNoException: true });
		expect(result.counts).toMatchObject({ persons: 1, tombstones: 1 });
		expect(await handle.db.select().from(persons).where(eq(persons.id, personId))).toHaveLength(0);
		const pages = await pullAll(bruno, deviceId, state);
		expect(pages.flatMap((p) => p.tombstones)).toContainEqual(expect.objectContaining({ entity: 'person', id: personId, caseId }));
		const [event] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'rights.erasure'), eq(auditEvents.personId, personId)));
		expect(event.details).toMatchObject({ scope: 'person', ground: 'unlawful-processing' });
	});

	it('erases a closed case file the way the retention engine destroys it', async () => {
		const fixture = await insertClosedCase(handle.db, { reference: 'RG-AED-01', measureType: 'aed', closedAt: '2026-06-01', lastContactAt: new Date('2026-05-20T10:00:00Z') });
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const result = await dpo.dpo.rights.erase({ personId: fixture.childId, scope: 'case', ground: 'objection-upheld', confirmNoException: true });
		expect(result.counts).toMatchObject({ persons: 2, notes: 2, noteRevisions: 1, visits: 1, tombstones: 5 });
		const [row] = await handle.db.select({ status: cases.status }).from(cases).where(eq(cases.id, fixture.caseId));
		expect(row.status).toBe('destroyed');
		expect(await handle.db.select().from(tombstones).where(eq(tombstones.caseId, fixture.caseId))).toHaveLength(5);
	});
});
