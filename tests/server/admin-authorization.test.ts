import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delegations, devices, organisations, teams, users } from '../../server/db/schema';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { seededDatabase, START, userId, type Caller } from './syncTestKit';
import { callersByRole, demoAccountsByRole, insertDisabledCopy, outcomeOf, type Outcome } from './authorizationKit';

/**
 * Authorization of every admin.* procedure for every role: only an active administrator; a
 * missing id answers like any refusal ("not found or no access"), never with a different code.
 */

describe.each(databaseKinds)('admin procedures: authorization on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	const roles = ['admin', 'worker', 'leadOfTeam', 'leadOfOtherTeam', 'dpo', 'anonymous', 'disabledAdmin'] as const;
	let callers: Record<(typeof roles)[number], Caller>;
	let ids: { julien: string; julienVersion: number; organisationId: string; teamId: string; deviceId: string; delegationId: string };

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		const db = handle.db;
		await insertDisabledCopy(db, 'admin.eva', { username: 'admin.inactif', displayName: 'Admin Inactif' }, clock);
		const [julien] = await db.select({ id: users.id, version: users.version }).from(users).where(eq(users.username, 'aed.julien'));
		const [org] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.kind, 'association'));
		const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.name, 'AED Sud'));
		const deviceId = crypto.randomUUID();
		await db.insert(devices).values({ id: deviceId, userId: julien.id, journalSecret: '00'.repeat(32), createdAt: clock.now() });
		const [delegation] = await db.select({ id: delegations.id }).from(delegations).limit(1);
		ids = { julien: julien.id, julienVersion: julien.version, organisationId: org.id, teamId: team.id, deviceId, delegationId: delegation.id };
		callers = await callersByRole(db, { ...demoAccountsByRole, disabledAdmin: 'admin.inactif' }, clock);
	});
	afterAll(async () => handle?.destroy());

	const expected: Record<(typeof roles)[number], Outcome> = {
		admin: 'allow',
		worker: 'forbidden',
		leadOfTeam: 'forbidden',
		leadOfOtherTeam: 'forbidden',
		dpo: 'forbidden',
		anonymous: 'unauthenticated',
		disabledAdmin: 'forbidden'
	};

	const unique = () => crypto.randomUUID().slice(0, 8);
	const calls: Record<string, (c: Caller) => Promise<unknown>> = {
		'admin.accounts': (c) => c.admin.accounts(),
		'admin.organisations': (c) => c.admin.organisations(),
		'admin.devices': (c) => c.admin.devices(),
		'admin.habilitationReview': (c) => c.admin.habilitationReview(),
		'admin.createAccount': (c) =>
			c.admin.createAccount({ username: `test.${unique()}`, displayName: 'Compte Test', role: 'worker', profession: 'TISF', organisationId: ids.organisationId, teamId: ids.teamId, habilitations: [] }),
		'admin.createOrganisation': (c) => c.admin.createOrganisation({ name: `Prestataire ${unique()}`, kind: 'provider' }),
		'admin.createTeam': (c) => c.admin.createTeam({ organisationId: ids.organisationId, name: `Équipe ${unique()}` })
	};

	it.each(Object.keys(calls))('%s: only an active administrator', async (path) => {
		for (const role of roles) expect([role, await outcomeOf(calls[path](callers[role]))]).toEqual([role, expected[role]]);
	});

	/** Procedures on one resource; the administrator gets "not found" for a missing id, every other role its usual refusal. */
	const resourceCalls: Record<string, (c: Caller, real: boolean) => Promise<unknown>> = {
		'admin.updateAccount': (c, real) =>
			c.admin.updateAccount({ userId: real ? ids.julien : crypto.randomUUID(), version: ids.julienVersion, displayName: 'Julien Masson', role: 'worker', profession: 'Éducateur AED', teamId: ids.teamId, habilitations: [] }),
		'admin.resetPassword': (c, real) => c.admin.resetPassword({ userId: real ? ids.julien : crypto.randomUUID(), version: ids.julienVersion }),
		'admin.disableAccount': (c, real) => c.admin.disableAccount({ userId: real ? ids.julien : crypto.randomUUID(), version: ids.julienVersion }),
		'admin.enableAccount': (c, real) => c.admin.enableAccount({ userId: real ? ids.julien : crypto.randomUUID(), version: ids.julienVersion }),
		'admin.markReviewed': (c, real) => c.admin.markReviewed({ userId: real ? ids.julien : crypto.randomUUID(), version: ids.julienVersion }),
		'admin.revokeDevice': (c, real) => c.admin.revokeDevice({ deviceId: real ? ids.deviceId : crypto.randomUUID() }),
		'admin.revokeDelegation': (c, real) => c.admin.revokeDelegation({ delegationId: real ? ids.delegationId : crypto.randomUUID() })
	};

	it.each(Object.keys(resourceCalls))('%s: refused to every other role, the same for a real and a missing id', async (path) => {
		for (const role of roles) {
			if (role === 'admin') continue;
			const real = await outcomeOf(resourceCalls[path](callers[role], true));
			const ghost = await outcomeOf(resourceCalls[path](callers[role], false));
			expect([role, real, ghost]).toEqual([role, expected[role], expected[role]]);
		}
		expect(await outcomeOf(resourceCalls[path](callers.admin, false))).toBe('not-found');
	});

	it('the administrator may do each of them on a real id', async () => {
		for (const path of ['admin.revokeDevice', 'admin.revokeDelegation', 'admin.markReviewed']) {
			expect([path, await outcomeOf(resourceCalls[path](callers.admin, true))]).toEqual([path, 'allow']);
		}
	});

	it('the administrator never receives case content, nor secrets', async () => {
		const eva = callers.admin;
		const payload = JSON.stringify([await eva.admin.accounts(), await eva.admin.devices(), await eva.admin.habilitationReview(), await eva.admin.organisations()]);
		expect(payload).not.toMatch(/passwordHash|password_hash|journalSecret|argon2|"body"|firstName|lastName|birthDate/);
		// The lead procedures stay closed to the administrator.
		expect(await outcomeOf(eva.lead.reviewQueue({ status: 'all' }))).toBe('forbidden');
		expect(await outcomeOf(eva.sync.pull({ deviceId: crypto.randomUUID(), cursor: null, heldCaseIds: [] }))).toBe('forbidden');
		expect(await userId(handle.db, 'admin.eva')).toBeTruthy();
	});
});
