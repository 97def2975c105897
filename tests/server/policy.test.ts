import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, cases, delegations, emergencyGrants, users } from '../../server/db/schema';
import { allowedCaseIds } from '../../server/policy/allowedCaseIds';
import { caseAccessFor, deviceCaseAccessFor, listCaseGrants } from '../../server/policy/caseAccessFor';
import { loadPolicySubject } from '../../server/policy/loadPolicySubject';
import { noteBodyFor } from '../../server/policy/noteBodyFor';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, DAY, seededDatabase, START, userId } from './syncTestKit';

describe.each(databaseKinds)('policy on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	const now = () => clock.now();
	const id = (username: string) => userId(handle.db, username);

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
	});
	afterAll(async () => handle?.destroy());

	it('gives a worker exactly their current assignments; an expired delegation adds nothing', async () => {
		const amelie = { id: await id('tisf.amelie') };
		const expected = (await assignedCases(handle.db, 'tisf.amelie')).map((c) => c.id).sort();
		expect([...(await allowedCaseIds(handle.db, amelie, now()))].sort()).toEqual(expected);
		expect([...(await allowedCaseIds(handle.db, amelie, now(), 'write'))].sort()).toEqual(expected.filter(() => true).sort());
		expect((await allowedCaseIds(handle.db, amelie, now(), 'review')).size).toBe(0);
	});

	it('ignores assignments not yet started or already ended, delegations revoked or not yet started, grants revoked', async () => {
		const gael = await id('aed.gael');
		const before = await allowedCaseIds(handle.db, { id: gael }, now());
		const [mecsCase] = await assignedCases(handle.db, 'educ.chloe');
		await handle.db.insert(assignments).values([
			{ userId: gael, caseId: mecsCase.id, role: 'intervenant', startsAt: new Date(now().getTime() + DAY) },
			{ userId: gael, caseId: mecsCase.id, role: 'intervenant', startsAt: new Date(now().getTime() - 2 * DAY), endsAt: new Date(now().getTime() - DAY) }
		]);
		const chloe = await id('educ.chloe');
		const david = await id('chef.david');
		await handle.db.insert(delegations).values([
			{ fromUserId: chloe, toUserId: gael, reason: 'Future', startsAt: new Date(now().getTime() + DAY), endsAt: new Date(now().getTime() + 5 * DAY), createdBy: david },
			{ fromUserId: chloe, toUserId: gael, reason: 'Révoquée', startsAt: new Date(now().getTime() - DAY), endsAt: new Date(now().getTime() + 5 * DAY), revokedAt: now(), createdBy: david }
		]);
		await handle.db.insert(emergencyGrants).values({ userId: gael, caseId: mecsCase.id, reason: 'Test', grantedAt: now(), expiresAt: new Date(now().getTime() + 3_600_000), revokedAt: now(), createdBy: david });
		expect(await allowedCaseIds(handle.db, { id: gael }, now())).toEqual(before);
	});

	it('explains each allowed case, the strongest reason first', async () => {
		const bruno = await id('aed.bruno');
		const amelie = await id('tisf.amelie');
		await handle.db.insert(delegations).values({ fromUserId: amelie, toUserId: bruno, reason: 'Congé', startsAt: now(), endsAt: new Date(now().getTime() + 7 * DAY), createdBy: await id('chef.david') });
		const access = await caseAccessFor(handle.db, { id: bruno }, now());
		const brunoCases = (await assignedCases(handle.db, 'aed.bruno')).map((c) => c.id);
		const amelieCases = (await assignedCases(handle.db, 'tisf.amelie')).map((c) => c.id);
		for (const caseId of brunoCases) expect(access.get(caseId)).toMatchObject({ kind: 'assignment', role: 'referent', until: null, coveringFor: null });
		for (const caseId of amelieCases.filter((c) => !brunoCases.includes(c))) {
			expect(access.get(caseId)).toEqual({ kind: 'delegation', role: 'referent', until: new Date(now().getTime() + 7 * DAY).toISOString(), coveringFor: 'Amélie Roussel' });
		}
		await handle.db.update(delegations).set({ revokedAt: now() }).where(and(eq(delegations.fromUserId, amelie), eq(delegations.toUserId, bruno)));
	});

	it('gives a lead the team to read and review, not to write nor to cache offline', async () => {
		const david = { id: await id('chef.david') };
		const [{ teamId }] = await handle.db.select({ teamId: users.teamId }).from(users).where(eq(users.id, david.id));
		const teamCases = (await handle.db.select({ id: cases.id, status: cases.status }).from(cases).where(eq(cases.teamId, teamId!))).filter((c) => c.status === 'open' || c.status === 'closed').map((c) => c.id).sort();
		expect([...(await allowedCaseIds(handle.db, david, now()))].sort()).toEqual(teamCases);
		expect([...(await allowedCaseIds(handle.db, david, now(), 'review'))].sort()).toEqual(teamCases);
		expect((await allowedCaseIds(handle.db, david, now(), 'write')).size).toBe(0);
		expect((await deviceCaseAccessFor(handle.db, david, now())).size).toBe(0);
		expect([...(await caseAccessFor(handle.db, david, now())).values()].every((a) => a.kind === 'team')).toBe(true);
	});

	it('gives administrators and the DPO no case content, only their own action on the organisation’s cases', async () => {
		for (const username of ['admin.eva', 'dpo.farid']) {
			const user = { id: await id(username) };
			expect((await allowedCaseIds(handle.db, user, now(), 'read')).size).toBe(0);
			expect((await allowedCaseIds(handle.db, user, now(), 'write')).size).toBe(0);
			expect((await caseAccessFor(handle.db, user, now())).size).toBe(0);
		}
		expect((await allowedCaseIds(handle.db, { id: await id('admin.eva') }, now(), 'administer')).size).toBeGreaterThan(0);
		expect((await allowedCaseIds(handle.db, { id: await id('dpo.farid') }, now(), 'audit')).size).toBe(60);
	});

	it('gives nothing to a disabled user, an unknown user or an unknown role', async () => {
		const julien = await id('aed.julien');
		expect((await allowedCaseIds(handle.db, { id: julien }, now())).size).toBeGreaterThan(0);
		await handle.db.update(users).set({ disabledAt: now() }).where(eq(users.id, julien));
		expect((await allowedCaseIds(handle.db, { id: julien }, now())).size).toBe(0);
		expect((await allowedCaseIds(handle.db, { id: crypto.randomUUID() }, now())).size).toBe(0);
		const subject = (await loadPolicySubject(handle.db, await id('tisf.amelie')))!;
		expect(await listCaseGrants(handle.db, { ...subject, role: 'visitor' as never }, now())).toEqual([]);
	});

	it('never allows archived or destroyed cases to workers', async () => {
		const amelie = { id: await id('tisf.amelie') };
		const [first, second] = await assignedCases(handle.db, 'tisf.amelie');
		await handle.db.update(cases).set({ status: 'archived' }).where(eq(cases.id, first.id));
		await handle.db.update(cases).set({ status: 'destroyed' }).where(eq(cases.id, second.id));
		const allowed = await allowedCaseIds(handle.db, amelie, now());
		expect(allowed.has(first.id) || allowed.has(second.id)).toBe(false);
		await handle.db.update(cases).set({ status: 'open' }).where(eq(cases.id, first.id));
		await handle.db.update(cases).set({ status: 'open' }).where(eq(cases.id, second.id));
	});

	it('hides the text of a sensitive note from a reader without the habilitation', () => {
		expect(noteBodyFor(['health'], { body: 'x', sensitiveCategory: 'health' })).toEqual({ body: 'x', restricted: false });
		expect(noteBodyFor(['health'], { body: 'x', sensitiveCategory: 'judicial' })).toEqual({ body: null, restricted: true });
		expect(noteBodyFor([], { body: 'x', sensitiveCategory: null })).toEqual({ body: 'x', restricted: false });
	});
});
