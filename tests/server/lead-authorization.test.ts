import { and, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client';
import { assignments, cases, delegations, emergencyGrants, notes, teams } from '../../server/db/schema';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { DAY, seededDatabase, START, userId, type Caller } from './syncTestKit';
import { callersByRole, demoAccountsByRole, insertDisabledCopy, outcomeOf, type Outcome } from './authorizationKit';

/**
 * Authorization of every lead.* and emergency.* procedure for every role: the lead of the team,
 * the lead of another team, a worker, the administrator, the DPO, anonymous, a disabled lead.
 * A refused id answers exactly like an id that does not exist.
 */

async function noteOfTeam(db: Database, teamName: string) {
	const [row] = await db
		.select({ id: notes.id, version: notes.version, caseId: notes.caseId })
		.from(notes)
		.innerJoin(cases, eq(cases.id, notes.caseId))
		.innerJoin(teams, eq(teams.id, cases.teamId))
		.where(and(eq(teams.name, teamName), ne(notes.status, 'draft')))
		.limit(1);
	return row;
}

describe.each(databaseKinds)('lead procedures: authorization on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	let ids: { note: { id: string; version: number; caseId: string }; assignmentId: string; delegationId: string; grantId: string; amelie: string; bruno: string };
	const roles = ['leadOfTeam', 'leadOfOtherTeam', 'worker', 'admin', 'dpo', 'anonymous', 'disabledLead'] as const;
	let callers: Record<(typeof roles)[number], Caller>;

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		const db = handle.db;
		const david = await insertDisabledCopy(db, 'chef.david', { username: 'chef.inactif', displayName: 'Chef Inactif' }, clock);
		const note = await noteOfTeam(db, 'AED Nord');
		const [assignment] = await db.select({ id: assignments.id }).from(assignments).where(eq(assignments.caseId, note.caseId)).limit(1);
		const amelie = await userId(db, 'tisf.amelie');
		const bruno = await userId(db, 'aed.bruno');
		const [delegation] = await db
			.insert(delegations)
			.values({ fromUserId: bruno, toUserId: amelie, reason: 'Formation', startsAt: clock.now(), endsAt: new Date(clock.now().getTime() + 5 * DAY), createdBy: david.id })
			.returning({ id: delegations.id });
		const [grant] = await db
			.insert(emergencyGrants)
			.values({ userId: amelie, caseId: note.caseId, reason: 'Test', grantedAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 3_600_000), createdBy: amelie })
			.returning({ id: emergencyGrants.id });
		ids = { note, assignmentId: assignment.id, delegationId: delegation.id, grantId: grant.id, amelie, bruno };
		callers = await callersByRole(db, { ...demoAccountsByRole, disabledLead: 'chef.inactif' }, clock);
	});
	afterAll(async () => handle?.destroy());

	/** Procedures whose outcome depends only on the role (the lead of another team sees only their own team). */
	const listCalls: Record<string, (c: Caller) => Promise<unknown>> = {
		'lead.reviewQueue': (c) => c.lead.reviewQueue({ status: 'all' }),
		'lead.team': (c) => c.lead.team(),
		'lead.colleagues': (c) => c.lead.colleagues(),
		'lead.delegations': (c) => c.lead.delegations(),
		'lead.emergencyGrants': (c) => c.lead.emergencyGrants()
	};
	const roleOnly: Record<(typeof roles)[number], Outcome> = {
		leadOfTeam: 'allow',
		leadOfOtherTeam: 'allow',
		worker: 'forbidden',
		admin: 'forbidden',
		dpo: 'forbidden',
		anonymous: 'unauthenticated',
		disabledLead: 'forbidden'
	};

	it.each(Object.keys(listCalls))('%s: only active leads', async (path) => {
		for (const role of roles) expect([role, await outcomeOf(listCalls[path](callers[role]))]).toEqual([role, roleOnly[role]]);
	});

	it('the lead of another team sees none of this team’s notes, cases, delegations or grants', async () => {
		const helene = callers.leadOfOtherTeam;
		const queue = await helene.lead.reviewQueue({ status: 'all' });
		expect(queue.notes.some((n) => n.id === ids.note.id)).toBe(false);
		expect(queue.notes.length).toBeGreaterThan(0);
		const team = await helene.lead.team();
		expect(team.cases.some((c) => c.id === ids.note.caseId)).toBe(false);
		expect((await helene.lead.delegations()).some((d) => d.id === ids.delegationId)).toBe(false);
		expect((await helene.lead.emergencyGrants()).some((g) => g.id === ids.grantId)).toBe(false);
		const david = callers.leadOfTeam;
		expect((await david.lead.reviewQueue({ status: 'all', caseId: ids.note.caseId })).notes.some((n) => n.id === ids.note.id)).toBe(true);
		// Naming the case in the filter does not widen what the other lead sees.
		expect((await helene.lead.reviewQueue({ status: 'all', caseId: ids.note.caseId })).notes).toEqual([]);
		expect((await david.lead.delegations()).some((d) => d.id === ids.delegationId)).toBe(true);
		expect((await david.lead.emergencyGrants()).some((g) => g.id === ids.grantId)).toBe(true);
	});

	/** Procedures on one resource: `real` names the team's resource, `ghost` a random id. */
	const resourceCalls: Record<string, (c: Caller, real: boolean) => Promise<unknown>> = {
		'lead.note': (c, real) => c.lead.note({ noteId: real ? ids.note.id : crypto.randomUUID() }),
		'lead.reviewNote': (c, real) => c.lead.reviewNote({ noteId: real ? ids.note.id : crypto.randomUUID(), version: ids.note.version, decision: 'reviewed' }),
		'lead.assign': (c, real) => c.lead.assign({ caseId: real ? ids.note.caseId : crypto.randomUUID(), userId: ids.amelie, role: 'co_referent', crossOrganisation: false }),
		'lead.endAssignment': (c, real) => c.lead.endAssignment({ assignmentId: real ? ids.assignmentId : crypto.randomUUID() }),
		'lead.createDelegation': (c, real) =>
			c.lead.createDelegation({ fromUserId: real ? ids.bruno : crypto.randomUUID(), toUserId: ids.amelie, reason: 'Congé', endsAt: new Date(clock.now().getTime() + 3 * DAY).toISOString() }),
		'lead.revokeDelegation': (c, real) => c.lead.revokeDelegation({ delegationId: real ? ids.delegationId : crypto.randomUUID() }),
		'lead.revokeEmergencyGrant': (c, real) => c.lead.revokeEmergencyGrant({ grantId: real ? ids.grantId : crypto.randomUUID() })
	};
	const onResource: Record<(typeof roles)[number], Outcome> = { ...roleOnly, leadOfOtherTeam: 'not-found' };

	it.each(Object.keys(resourceCalls))('%s: refused to all but the team’s lead, the same for a real and a missing id', async (path) => {
		for (const role of roles) {
			if (role === 'leadOfTeam') continue;
			const real = await outcomeOf(resourceCalls[path](callers[role], true));
			const ghost = await outcomeOf(resourceCalls[path](callers[role], false));
			expect([role, real]).toEqual([role, onResource[role]]);
			expect([role, ghost]).toEqual([role, real]);
		}
		expect(await outcomeOf(resourceCalls[path](callers.leadOfTeam, false))).toBe('not-found');
	});

	it('the team’s lead may do each of them (last, since they change state)', async () => {
		for (const path of Object.keys(resourceCalls)) {
			expect([path, await outcomeOf(resourceCalls[path](callers.leadOfTeam, true))]).toEqual([path, 'allow']);
		}
	});

	it('emergency.request: workers and leads for themselves; others refused', async () => {
		const [sud] = await handle.db
			.select({ reference: cases.reference })
			.from(cases)
			.innerJoin(teams, eq(teams.id, cases.teamId))
			.where(and(eq(teams.name, 'MECS Les Tilleuls'), eq(cases.status, 'open')))
			.limit(1);
		const expected: Record<(typeof roles)[number], Outcome> = {
			leadOfTeam: 'allow',
			leadOfOtherTeam: 'allow',
			worker: 'allow',
			admin: 'forbidden',
			dpo: 'forbidden',
			anonymous: 'unauthenticated',
			disabledLead: 'forbidden'
		};
		for (const role of roles) {
			expect([role, await outcomeOf(callers[role].emergency.request({ caseReference: sud.reference, reason: 'Appel du juge des enfants' }))]).toEqual([role, expected[role]]);
		}
	});
});
