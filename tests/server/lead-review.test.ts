import { and, count, eq, inArray, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, cases, notes, teams, users } from '../../server/db/schema';
import { verifyAuditChain } from '../../server/audit/verifyAuditChain';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, errorOf, pullAll, seededDatabase, START, userId } from './syncTestKit';

describe.each(databaseKinds)('lead review on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
	});
	afterAll(async () => handle?.destroy());

	it('lists the team’s submitted notes, newest first, without their text', async () => {
		const david = await callerAs(handle.db, 'chef.david', clock);
		const { notes: queue } = await david.lead.reviewQueue({ status: 'submitted' });
		expect(queue.length).toBeGreaterThan(0);
		expect(queue.every((n) => n.status === 'submitted')).toBe(true);
		const received = queue.map((n) => n.receivedAt);
		expect([...received].sort().reverse()).toEqual(received);
		expect(queue[0]).not.toHaveProperty('body');
		const nord = await handle.db
			.select({ id: cases.id })
			.from(cases)
			.innerJoin(teams, eq(teams.id, cases.teamId))
			.where(eq(teams.name, 'AED Nord'));
		const nordIds = new Set(nord.map((c) => c.id));
		expect(queue.every((n) => nordIds.has(n.caseId))).toBe(true);
	});

	it('filters by worker, case, kind and "écrite hors ligne" (received more than 5 minutes after writing)', async () => {
		const david = await callerAs(handle.db, 'chef.david', clock);
		const bruno = await userId(handle.db, 'aed.bruno');
		const byBruno = await david.lead.reviewQueue({ status: 'all', authorId: bruno });
		expect(byBruno.notes.length).toBeGreaterThan(0);
		expect(byBruno.notes.every((n) => n.authorId === bruno)).toBe(true);
		const caseId = byBruno.notes[0].caseId;
		expect((await david.lead.reviewQueue({ status: 'all', caseId })).notes.every((n) => n.caseId === caseId)).toBe(true);
		expect((await david.lead.reviewQueue({ status: 'all', kind: 'call' })).notes.every((n) => n.kind === 'call')).toBe(true);

		// One note pushed at once (online), one pushed two hours later (offline).
		const [onlineId, offlineId] = [crypto.randomUUID(), crypto.randomUUID()];
		const written = new Date(clock.now().getTime() - 2 * 3_600_000);
		await handle.db.insert(notes).values([
			{ id: onlineId, caseId, authorId: bruno, kind: 'observation', body: 'En ligne', createdOnDeviceAt: new Date(clock.now().getTime() - 60_000), receivedAt: clock.now() },
			{ id: offlineId, caseId, authorId: bruno, kind: 'observation', body: 'Hors ligne', createdOnDeviceAt: written, receivedAt: clock.now() }
		]);
		const offline = await david.lead.reviewQueue({ status: 'all', caseId, offlineOnly: true });
		expect(offline.notes.map((n) => n.id)).toContain(offlineId);
		expect(offline.notes.map((n) => n.id)).not.toContain(onlineId);
		expect(offline.notes.every((n) => n.writtenOffline)).toBe(true);
		const all = await david.lead.reviewQueue({ status: 'all', caseId });
		expect(all.notes.find((n) => n.id === onlineId)?.writtenOffline).toBe(false);
	});

	it('opens a note with its device and server times, audited as an online view; a sensitive note outside the lead’s habilitations stays restricted', async () => {
		const helene = await callerAs(handle.db, 'chef.helene', clock);
		const gael = await userId(handle.db, 'aed.gael');
		const [sudCase] = await assignedCases(handle.db, 'aed.gael');
		const religionNote = crypto.randomUUID();
		const healthNote = crypto.randomUUID();
		await handle.db.insert(notes).values([
			{ id: religionNote, caseId: sudCase.id, authorId: gael, kind: 'observation', body: 'Texte religion fictif', sensitiveCategory: 'religion', createdOnDeviceAt: clock.now() },
			{ id: healthNote, caseId: sudCase.id, authorId: gael, kind: 'observation', body: 'Texte santé fictif', sensitiveCategory: 'health', createdOnDeviceAt: clock.now() }
		]);
		// Hélène holds health and judicial, not religion.
		const restricted = await helene.lead.note({ noteId: religionNote });
		expect(restricted).toMatchObject({ restricted: true, body: null, sensitiveCategory: 'religion', caseReference: sudCase.reference });
		const readable = await helene.lead.note({ noteId: healthNote });
		expect(readable).toMatchObject({ restricted: false, body: 'Texte santé fictif' });
		expect(readable.createdOnDeviceAt).toBe(clock.now().toISOString());
		expect(readable.receivedAt).toBeTruthy();
		const queue = await helene.lead.reviewQueue({ status: 'all', caseId: sudCase.id });
		expect(queue.notes.find((n) => n.id === religionNote)?.restricted).toBe(true);

		const views = await handle.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'view.online.note'), inArray(auditEvents.noteId, [religionNote, healthNote])));
		expect(views).toHaveLength(2);
		const heleneId = await userId(handle.db, 'chef.helene');
		expect(views.every((v) => v.actorId === heleneId && v.caseId === sudCase.id)).toBe(true);
		expect(views.find((v) => v.noteId === religionNote)?.details).toMatchObject({ restricted: true });
	});

	it('never shows a draft, not even by id', async () => {
		const bruno = await userId(handle.db, 'aed.bruno');
		const [c] = await assignedCases(handle.db, 'aed.bruno');
		const draft = crypto.randomUUID();
		await handle.db.insert(notes).values({ id: draft, caseId: c.id, authorId: bruno, kind: 'observation', body: 'Brouillon', status: 'draft', createdOnDeviceAt: clock.now() });
		const david = await callerAs(handle.db, 'chef.david', clock);
		expect((await david.lead.reviewQueue({ status: 'all' })).notes.some((n) => n.id === draft)).toBe(false);
		expect((await errorOf(david.lead.note({ noteId: draft }))).message).toBe('not-found-or-no-access');
	});

	it('"à reprendre" with a comment reaches the author at their next pull; the review is audited', async () => {
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(bruno, deviceId, state);

		const david = await callerAs(handle.db, 'chef.david', clock);
		const brunoId = await userId(handle.db, 'aed.bruno');
		const { notes: queue } = await david.lead.reviewQueue({ status: 'submitted', authorId: brunoId });
		const target = queue.find((n) => !n.restricted)!;
		const opened = await david.lead.note({ noteId: target.id });

		const missing = await errorOf(david.lead.reviewNote({ noteId: target.id, version: opened.version, decision: 'changes_requested', comment: '  ' }));
		expect(missing.message).toBe('comment-required');

		const result = await david.lead.reviewNote({ noteId: target.id, version: opened.version, decision: 'changes_requested', comment: 'Préciser les faits observés.' });
		expect(result.status).toBe('changes_requested');
		expect(result.version).toBeGreaterThan(opened.version);

		clock.advance(60_000);
		const pages = await pullAll(bruno, deviceId, state);
		const received = pages.flatMap((p) => p.notes).find((n) => n.id === target.id);
		expect(received).toMatchObject({ status: 'changes_requested', reviewComment: 'Préciser les faits observés.' });

		const [event] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'note.review'), eq(auditEvents.noteId, target.id)));
		expect(event).toMatchObject({ actorId: (await userId(handle.db, 'chef.david')), caseId: target.caseId });
		expect(event.details).toMatchObject({ decision: 'changes_requested', previousStatus: 'submitted' });
	});

	it('refuses a decision on a version the lead has not read (the author edited the note meanwhile)', async () => {
		const david = await callerAs(handle.db, 'chef.david', clock);
		const { notes: queue } = await david.lead.reviewQueue({ status: 'submitted' });
		const opened = await david.lead.note({ noteId: queue[0].id });
		await handle.db.update(notes).set({ body: 'Texte corrigé par l’auteur', revision: 2 }).where(eq(notes.id, opened.id));
		const stale = await errorOf(david.lead.reviewNote({ noteId: opened.id, version: opened.version, decision: 'reviewed' }));
		expect(stale.code).toBe('CONFLICT');
		expect(stale.message).toBe('note-changed');
		const reread = await david.lead.note({ noteId: opened.id });
		expect((await david.lead.reviewNote({ noteId: opened.id, version: reread.version, decision: 'reviewed' })).status).toBe('reviewed');
		const [row] = await handle.db.select({ status: notes.status, reviewedBy: notes.reviewedBy }).from(notes).where(eq(notes.id, opened.id));
		const [davidRow] = await handle.db.select({ id: users.id }).from(users).where(eq(users.username, 'chef.david'));
		expect(row).toEqual({ status: 'reviewed', reviewedBy: davidRow.id });
	});

	it('pages through the whole queue without skipping notes received at the same instant', async () => {
		const david = await callerAs(handle.db, 'chef.david', clock);
		const bruno = await userId(handle.db, 'aed.bruno');
		const [c] = await assignedCases(handle.db, 'aed.bruno');
		const at = new Date(clock.now().getTime() - 1_000);
		await handle.db.insert(notes).values(Array.from({ length: 60 }, () => ({ id: crypto.randomUUID(), caseId: c.id, authorId: bruno, kind: 'call' as const, body: 'Appel', createdOnDeviceAt: at, receivedAt: at })));
		const seen: string[] = [];
		let before: string | undefined;
		for (let i = 0; i < 20; i++) {
			const page = await david.lead.reviewQueue({ status: 'all', before });
			seen.push(...page.notes.map((n) => n.id));
			if (!page.nextBefore) break;
			before = page.nextBefore;
		}
		const [{ total }] = await handle.db
			.select({ total: count() })
			.from(notes)
			.innerJoin(cases, eq(cases.id, notes.caseId))
			.innerJoin(teams, eq(teams.id, cases.teamId))
			.where(and(eq(teams.name, 'AED Nord'), ne(notes.status, 'draft'), inArray(cases.status, ['open', 'closed'])));
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.length).toBe(total);
	});

	it('keeps the audit chain intact', async () => {
		expect((await verifyAuditChain(handle.db)).status).toBe('intact');
	});
});
