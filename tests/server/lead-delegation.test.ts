import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, auditEvents, cases, emergencyGrants, teams, users } from '../../server/db/schema';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, DAY, errorOf, pullAll, seededDatabase, START, userId } from './syncTestKit';

describe.each(databaseKinds)('lead assignments, suppléances and emergency access on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	const inDays = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString();

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
	});
	afterAll(async () => handle?.destroy());

	it('the colleague’s pull receives the covered cases, and lists them as revoked after the end date', async () => {
		const david = await callerAs(handle.db, 'chef.david', clock);
		const bruno = await userId(handle.db, 'aed.bruno');
		const amelie = await userId(handle.db, 'tisf.amelie');
		const amelieCaller = await callerAs(handle.db, 'tisf.amelie', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(amelieCaller, deviceId, state);
		const own = new Set(state.held);
		const brunoCases = (await assignedCases(handle.db, 'aed.bruno')).map((c) => c.id).filter((id) => !own.has(id));
		expect(brunoCases.length).toBeGreaterThan(0);

		const { delegationId } = await david.lead.createDelegation({ fromUserId: bruno, toUserId: amelie, reason: 'Arrêt maladie de Bruno', endsAt: inDays(7) });
		const pages = await pullAll(amelieCaller, deviceId, state);
		const covered = pages.flatMap((p) => p.cases).filter((c) => c.access.kind === 'delegation');
		expect(covered.map((c) => c.id).sort()).toEqual([...brunoCases].sort());
		expect(covered[0].access.coveringFor).toBe('Bruno Lemaire');
		const listed = (await david.lead.delegations()).find((d) => d.id === delegationId);
		expect(listed).toMatchObject({ state: 'active', fromName: 'Bruno Lemaire', toName: 'Amélie Roussel', reason: 'Arrêt maladie de Bruno' });

		clock.advance(7 * DAY + 1);
		const [after] = await pullAll(amelieCaller, deviceId, state);
		expect(after.revokedCaseIds.sort()).toEqual([...brunoCases].sort());
		expect((await david.lead.delegations()).find((d) => d.id === delegationId)?.state).toBe('stale');
		const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'delegation.create'));
		expect(event.details).toMatchObject({ delegationId, fromUserId: bruno, toUserId: amelie });
	});

	it('a delegation revoked early leaves the colleague’s devices at the next pull', async () => {
		const david = await callerAs(handle.db, 'chef.david', clock);
		const amelieCaller = await callerAs(handle.db, 'tisf.amelie', clock);
		const { delegationId } = await david.lead.createDelegation({
			fromUserId: await userId(handle.db, 'aed.bruno'),
			toUserId: await userId(handle.db, 'tisf.amelie'),
			reason: 'Formation',
			endsAt: inDays(30)
		});
		const state = { cursor: null as string | null, held: new Set<string>() };
		const deviceId = crypto.randomUUID();
		await pullAll(amelieCaller, deviceId, state);
		const before = state.held.size;
		await david.lead.revokeDelegation({ delegationId });
		const [after] = await pullAll(amelieCaller, deviceId, state);
		expect(after.revokedCaseIds.length).toBeGreaterThan(0);
		expect(state.held.size).toBe(before - after.revokedCaseIds.length);
		expect((await errorOf(david.lead.revokeDelegation({ delegationId }))).message).toBe('not-found-or-no-access');
	});

	it('refuses a delegation without end date, beyond 90 days, in the past, without reason, to oneself, or to another organisation', async () => {
		const david = await callerAs(handle.db, 'chef.david', clock);
		const bruno = await userId(handle.db, 'aed.bruno');
		const amelie = await userId(handle.db, 'tisf.amelie');
		const ines = await userId(handle.db, 'tisf.ines');
		const base: { fromUserId: string; toUserId: string; reason: string; endsAt?: string | null } = { fromUserId: bruno, toUserId: amelie, reason: 'Congés', endsAt: inDays(10) };
		const code = async (input: Partial<typeof base>) => (await errorOf(david.lead.createDelegation({ ...base, ...input }))).message;
		expect(await code({ endsAt: null })).toBe('delegation-end-required');
		expect(await code({ endsAt: undefined })).toBe('delegation-end-required');
		expect(await code({ endsAt: inDays(91) })).toBe('delegation-too-long');
		expect(await code({ endsAt: inDays(-1) })).toBe('delegation-end-in-past');
		expect(await code({ reason: '   ' })).toBe('reason-required');
		expect(await code({ toUserId: bruno })).toBe('delegation-same-person');
		expect(await code({ toUserId: ines })).toBe('delegation-other-organisation');
		// 90 days exactly is allowed.
		expect((await david.lead.createDelegation({ ...base, endsAt: inDays(90) })).delegationId).toBeTruthy();
	});

	it('assigns and unassigns on the team’s cases; another organisation’s worker only with the explicit flag', async () => {
		const david = await callerAs(handle.db, 'chef.david', clock);
		const team = await david.lead.team();
		const target = team.cases.find((c) => c.status === 'open')!;
		const ines = await userId(handle.db, 'tisf.ines');
		const refused = await errorOf(david.lead.assign({ caseId: target.id, userId: ines, role: 'intervenant', crossOrganisation: false }));
		expect(refused.message).toBe('cross-organisation-required');
		const byName = await errorOf(david.lead.assign({ caseId: target.id, username: 'tisf.ines', role: 'intervenant', crossOrganisation: false }));
		expect(byName.message).toBe('cross-organisation-required');

		const inesCaller = await callerAs(handle.db, 'tisf.ines', clock);
		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		await pullAll(inesCaller, deviceId, state);
		expect(state.held.has(target.id)).toBe(false);

		const { assignmentId } = await david.lead.assign({ caseId: target.id, username: 'tisf.ines', role: 'intervenant', endsAt: inDays(30), crossOrganisation: true });
		expect((await errorOf(david.lead.assign({ caseId: target.id, userId: ines, role: 'intervenant', crossOrganisation: true }))).message).toBe('already-assigned');
		await pullAll(inesCaller, deviceId, state);
		expect(state.held.has(target.id)).toBe(true);
		const holder = (await david.lead.team()).cases.find((c) => c.id === target.id)!.holders.find((h) => h.assignmentId === assignmentId);
		expect(holder).toMatchObject({ role: 'intervenant', otherOrganisation: true, endsAt: inDays(30) });
		const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'assignment.create'));
		expect(event.details).toMatchObject({ crossOrganisation: true, userId: ines });

		await david.lead.endAssignment({ assignmentId });
		const [after] = await pullAll(inesCaller, deviceId, state);
		expect(after.revokedCaseIds).toContain(target.id);
		const [row] = await handle.db.select({ endsAt: assignments.endsAt }).from(assignments).where(eq(assignments.id, assignmentId));
		expect(row.endsAt?.toISOString()).toBe(clock.now().toISOString());
	});

	it('the team view shows holders, caseloads, cases with no referent and with no contact for 60 days (no person names)', async () => {
		const david = await callerAs(handle.db, 'chef.david', clock);
		const team = await david.lead.team();
		expect(team.teamName).toBe('AED Nord');
		expect(team.cases).toHaveLength(24);
		const noReferent = team.cases.filter((c) => c.noReferent).map((c) => c.reference);
		expect(noReferent.length).toBeGreaterThan(0);
		const [stale] = await handle.db
			.update(cases)
			.set({ lastContactAt: new Date(clock.now().getTime() - 61 * DAY) })
			.where(eq(cases.id, team.cases.find((c) => c.status === 'open')!.id))
			.returning({ id: cases.id });
		const again = await david.lead.team();
		expect(again.cases.find((c) => c.id === stale.id)?.noRecentContact).toBe(true);
		const brunoLoad = again.caseloads.find((l) => l.displayName === 'Bruno Lemaire');
		expect(brunoLoad?.referent).toBe(12);
		expect(JSON.stringify(again)).not.toMatch(/firstName|lastName|birthDate|address/);
	});

	it('emergency access: reason required, two hours, the lead sees it, and it ends at expiry', async () => {
		const [mecsCase] = await handle.db
			.select({ id: cases.id, reference: cases.reference })
			.from(cases)
			.innerJoin(teams, eq(teams.id, cases.teamId))
			.where(and(eq(teams.name, 'MECS Les Tilleuls'), eq(cases.status, 'open')))
			.limit(1);
		const amelie = await callerAs(handle.db, 'tisf.amelie', clock);
		expect((await errorOf(amelie.emergency.request({ caseReference: mecsCase.reference, reason: '  ' }))).message).toBe('reason-required');
		expect((await errorOf(amelie.emergency.request({ caseReference: 'ZZ-0000-000', reason: 'Urgence' }))).message).toBe('not-found-or-no-access');
		const own = (await assignedCases(handle.db, 'tisf.amelie'))[0];
		expect((await errorOf(amelie.emergency.request({ caseReference: own.reference, reason: 'Urgence' }))).message).toBe('emergency-not-needed');
		// A provider's worker cannot break into the association's cases: same answer as a missing case.
		const ines = await callerAs(handle.db, 'tisf.ines', clock);
		expect((await errorOf(ines.emergency.request({ caseReference: mecsCase.reference, reason: 'Urgence' }))).message).toBe('not-found-or-no-access');

		const grant = await amelie.emergency.request({ caseReference: mecsCase.reference, reason: 'Enfant accueilli en urgence la nuit' });
		expect(new Date(grant.expiresAt).getTime() - clock.now().getTime()).toBe(2 * 3_600_000);
		const david = await callerAs(handle.db, 'chef.david', clock);
		expect((await david.lead.emergencyGrants()).find((g) => g.id === grant.grantId)).toMatchObject({ active: true, userName: 'Amélie Roussel', caseReference: mecsCase.reference });
		const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'emergency.grant'));
		expect(event).toMatchObject({ caseId: mecsCase.id });
		expect(event.details).toMatchObject({ reason: 'Enfant accueilli en urgence la nuit' });

		const deviceId = crypto.randomUUID();
		const state = { cursor: null as string | null, held: new Set<string>() };
		const pages = await pullAll(amelie, deviceId, state);
		expect(pages.flatMap((p) => p.cases).find((c) => c.id === mecsCase.id)?.access.kind).toBe('emergency');
		clock.advance(2 * 3_600_000);
		const [after] = await pullAll(amelie, deviceId, state);
		expect(after.revokedCaseIds).toContain(mecsCase.id);
		expect((await david.lead.emergencyGrants()).find((g) => g.id === grant.grantId)?.active).toBe(false);
	});

	it('the lead may end an active grant early', async () => {
		const [mecsCase] = await handle.db
			.select({ reference: cases.reference })
			.from(cases)
			.innerJoin(teams, eq(teams.id, cases.teamId))
			.where(and(eq(teams.name, 'MECS Les Tilleuls'), eq(cases.status, 'open')))
			.limit(1);
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const grant = await bruno.emergency.request({ caseReference: mecsCase.reference, reason: 'Appel de la police' });
		const david = await callerAs(handle.db, 'chef.david', clock);
		await david.lead.revokeEmergencyGrant({ grantId: grant.grantId });
		const [row] = await handle.db.select({ revokedAt: emergencyGrants.revokedAt }).from(emergencyGrants).where(eq(emergencyGrants.id, grant.grantId));
		expect(row.revokedAt).not.toBeNull();
		const [u] = await handle.db.select({ id: users.id }).from(users).where(eq(users.username, 'chef.david'));
		const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'emergency.revoke'));
		expect(event.actorId).toBe(u.id);
	});
});
