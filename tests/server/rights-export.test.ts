import { and, eq, ne, or, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, cases, noteRevisions, notes, persons, rightsRequests, visits } from '../../server/db/schema';
import { personExportSchema } from '../../server/rights/personExportSchema';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, errorOf, pullAll, seededDatabase, START } from './syncTestKit';

describe.each(databaseKinds)('rights export on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	let caseId: string;
	let personId: string;

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		caseId = (await assignedCases(handle.db, 'aed.bruno'))[0].id;
		const [child] = await handle.db.select({ id: persons.id }).from(persons).where(and(eq(persons.caseId, caseId), eq(persons.role, 'child'))).limit(1);
		personId = child.id;
		// Activity about the case: a device pull (access), an earlier revision of a note, a rights request.
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		await pullAll(bruno, crypto.randomUUID(), { cursor: null, held: new Set() });
		const [note] = await handle.db.select({ id: notes.id, authorId: notes.authorId }).from(notes).where(eq(notes.caseId, caseId)).limit(1);
		await handle.db.insert(noteRevisions).values({ noteId: note.id, revision: 1, body: 'Version précédente fictive', kind: 'observation', authorId: note.authorId });
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		await dpo.dpo.rights.register({ kind: 'access', requesterName: 'Représentant légal', receivedAt: '2026-11-20', personId });
	});
	afterAll(async () => handle?.destroy());

	it('contains every row about the person, as the database holds them', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const data = await dpo.dpo.rights.exportPerson({ personId, purpose: 'access' });
		expect(personExportSchema.safeParse(data).success).toBe(true);

		const [person] = await handle.db.select().from(persons).where(eq(persons.id, personId));
		expect(data.person).toEqual({
			id: person.id,
			role: person.role,
			firstName: person.firstName,
			lastName: person.lastName,
			birthDate: person.birthDate,
			address: person.address,
			phone: person.phone,
			email: person.email,
			relationship: person.relationship,
			frozen: false,
			recordedAt: person.createdAt.toISOString()
		});
		const [caseRow] = await handle.db.select().from(cases).where(eq(cases.id, caseId));
		expect(data.case).toMatchObject({ id: caseId, reference: caseRow.reference, measureType: caseRow.measureType, openedAt: caseRow.openedAt });

		const dbNotes = await handle.db.select().from(notes).where(eq(notes.caseId, caseId));
		expect(data.notes.map((n) => n.id).sort()).toEqual(dbNotes.map((n) => n.id).sort());
		for (const n of data.notes) expect(n.body).toBe(dbNotes.find((d) => d.id === n.id)!.body);
		const dbRevisions = await handle.db.select().from(noteRevisions).where(sql`${noteRevisions.noteId} in (select id from notes where case_id = ${caseId})`);
		expect(data.notes.flatMap((n) => n.revisions.map((r) => r.body)).sort()).toEqual(dbRevisions.map((r) => r.body).sort());

		const dbVisits = await handle.db.select().from(visits).where(eq(visits.caseId, caseId));
		expect(data.visits.map((v) => v.id).sort()).toEqual(dbVisits.map((v) => v.id).sort());
		const dbRequests = await handle.db.select().from(rightsRequests).where(eq(rightsRequests.personId, personId));
		expect(data.rightsRequests.map((r) => r.id).sort()).toEqual(dbRequests.map((r) => r.id).sort());

		const dbAccess = await handle.db
			.select({ id: auditEvents.id })
			.from(auditEvents)
			.where(or(eq(auditEvents.caseId, caseId), eq(auditEvents.personId, personId), sql`(${auditEvents.details} -> 'caseIds') @> to_jsonb(${caseId}::text)`));
		// The export's own audit event is written after the read.
		expect(data.accessLog).toHaveLength(dbAccess.length - 1);
		expect(data.accessLog.some((a) => a.action === 'sync.pull' && a.actorRole === 'worker')).toBe(true);
	});

	it('contains nothing about anyone else', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const json = JSON.stringify(await dpo.dpo.rights.exportPerson({ personId, purpose: 'access' }));
		const others = await handle.db.select().from(persons).where(ne(persons.id, personId));
		for (const other of others) {
			expect(json).not.toContain(other.id);
			if (other.phone) expect(json).not.toContain(other.phone);
			if (other.email) expect(json).not.toContain(other.email);
		}
		const otherCases = await handle.db.select({ id: cases.id, reference: cases.reference }).from(cases).where(ne(cases.id, caseId));
		for (const other of otherCases) {
			expect(json).not.toContain(other.id);
			expect(json).not.toContain(`"${other.reference}"`);
		}
		// Professionals appear by profession, never by name or account.
		for (const name of ['Bruno Lemaire', 'aed.bruno', 'David Caron', 'Farid Haddad']) expect(json).not.toContain(name);
	});

	it('limits portability to the data the person provided', async () => {
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		const data = await dpo.dpo.rights.exportPerson({ personId, purpose: 'portability' });
		expect(data.case).toBeNull();
		expect([data.notes, data.visits, data.accessLog, data.rightsRequests].every((list) => list.length === 0)).toBe(true);
		expect(data.person.id).toBe(personId);
	});

	it('audits each export', async () => {
		const events = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'rights.export'), eq(auditEvents.personId, personId)));
		expect(events.length).toBe(3);
		expect(events.map((e) => (e.details as { purpose: string }).purpose).sort()).toEqual(['access', 'access', 'portability']);
		expect(events.every((e) => e.caseId === caseId)).toBe(true);
	});

	it('refuses everyone but the DPO, and a person of a destroyed or unknown case', async () => {
		for (const username of ['aed.bruno', 'chef.david', 'admin.eva']) {
			const caller = await callerAs(handle.db, username, clock);
			expect((await errorOf(caller.dpo.rights.exportPerson({ personId, purpose: 'access' }))).code).toBe('FORBIDDEN');
		}
		const dpo = await callerAs(handle.db, 'dpo.farid', clock);
		expect((await errorOf(dpo.dpo.rights.exportPerson({ personId: crypto.randomUUID(), purpose: 'access' }))).code).toBe('NOT_FOUND');
	});
});
