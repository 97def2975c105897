import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, devices, organisations, sessions, teams, users } from '../../server/db/schema';
import { DEMO_PASSWORD } from '../../server/db/seedDemo';
import { checkPasswordPolicy } from '../../server/auth/passwordPolicy';
import { verifyAuditChain } from '../../server/audit/verifyAuditChain';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { callerFor, TestClock } from '../support/testCaller';
import { callerAs, DAY, errorOf, pullAll, seededDatabase, START, userId } from './syncTestKit';

describe.each(databaseKinds)('administration on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	const login = (username: string, password: string) =>
		callerFor(handle.db, null, { now: clock.now, clientAddress: `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` }).caller.auth.login({ username, password });

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		const [eva] = await handle.db.select().from(users).where(eq(users.username, 'admin.eva'));
		const { id: _id, version: _v, ...copy } = eva;
		await handle.db.insert(users).values({ ...copy, username: 'admin.zoe', displayName: 'Zoé Admin' });
	});
	afterAll(async () => handle?.destroy());

	const teamId = async (name: string) => (await handle.db.select({ id: teams.id }).from(teams).where(eq(teams.name, name)))[0].id;

	it('creates an account with a temporary password shown once, to change at first sign-in', async () => {
		const eva = await callerAs(handle.db, 'admin.eva', clock);
		const [org] = await handle.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.kind, 'association'));
		const created = await eva.admin.createAccount({ username: 'TISF.Nadia', displayName: 'Nadia Test', role: 'worker', profession: 'TISF', organisationId: org.id, teamId: await teamId('AED Nord'), habilitations: ['health', 'health'] });
		expect(created.username).toBe('tisf.nadia');
		expect(checkPasswordPolicy(created.temporaryPassword)).toEqual([]);
		const [row] = await handle.db.select().from(users).where(eq(users.id, created.userId));
		expect(row).toMatchObject({ mustChangePassword: true, habilitations: ['health'], role: 'worker' });
		expect(row.passwordHash).not.toContain(created.temporaryPassword);
		expect((await login('tisf.nadia', created.temporaryPassword)).mustChangePassword).toBe(true);
		expect(JSON.stringify(await eva.admin.accounts())).not.toContain(created.temporaryPassword);

		expect((await errorOf(eva.admin.createAccount({ username: 'tisf.nadia', displayName: 'Doublon', role: 'worker', organisationId: org.id, teamId: null, habilitations: [] }))).message).toBe('username-taken');
		const providerTeam = await teamId('TISF Prestataire');
		expect((await errorOf(eva.admin.createAccount({ username: 'tisf.omar', displayName: 'Omar', role: 'worker', organisationId: org.id, teamId: providerTeam, habilitations: [] }))).message).toBe('team-organisation-mismatch');
		const bad = await errorOf(eva.admin.createAccount({ username: 'x', displayName: '', role: 'worker', organisationId: org.id, teamId: null, habilitations: [] }));
		expect(bad.code).toBe('BAD_REQUEST');
		const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'account.create'));
		expect(JSON.stringify(event.details)).not.toContain(created.temporaryPassword);
	});

	it('two administrators edit the same account: the stale edit gets CONFLICT, the first is kept, and both land after a reload', async () => {
		const eva = await callerAs(handle.db, 'admin.eva', clock);
		const zoe = await callerAs(handle.db, 'admin.zoe', clock);
		const seenByEva = (await eva.admin.accounts()).find((a) => a.username === 'aed.gael')!;
		const seenByZoe = (await zoe.admin.accounts()).find((a) => a.username === 'aed.gael')!;
		expect(seenByZoe.version).toBe(seenByEva.version);
		const base = { userId: seenByEva.id, displayName: seenByEva.displayName, role: seenByEva.role, profession: seenByEva.profession, teamId: seenByEva.teamId, habilitations: seenByEva.habilitations };

		await eva.admin.updateAccount({ ...base, version: seenByEva.version, habilitations: ['judicial', 'health'] });
		const conflict = await errorOf(zoe.admin.updateAccount({ ...base, version: seenByZoe.version, profession: 'Éducateur spécialisé' }));
		expect(conflict.code).toBe('CONFLICT');
		expect(conflict.message).toBe('account-conflict');
		let [row] = await handle.db.select({ habilitations: users.habilitations, profession: users.profession }).from(users).where(eq(users.id, base.userId));
		expect(row).toEqual({ habilitations: ['health', 'judicial'], profession: 'Éducateur AEMO' });

		const reloaded = (await zoe.admin.accounts()).find((a) => a.id === base.userId)!;
		await zoe.admin.updateAccount({ ...base, version: reloaded.version, habilitations: reloaded.habilitations, profession: 'Éducateur spécialisé' });
		[row] = await handle.db.select({ habilitations: users.habilitations, profession: users.profession }).from(users).where(eq(users.id, base.userId));
		expect(row).toEqual({ habilitations: ['health', 'judicial'], profession: 'Éducateur spécialisé' });
		const updates = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'account.update'));
		expect(updates).toHaveLength(2);
		expect(updates[0].details).toMatchObject({ changed: ['habilitations'] });
		expect(updates[1].details).toMatchObject({ changed: ['profession'] });
	});

	it('resets a password: new temporary password, must change, every session revoked', async () => {
		await login('educ.chloe', DEMO_PASSWORD);
		const chloe = await userId(handle.db, 'educ.chloe');
		expect((await handle.db.select().from(sessions).where(eq(sessions.userId, chloe))).length).toBeGreaterThan(0);
		const eva = await callerAs(handle.db, 'admin.eva', clock);
		const account = (await eva.admin.accounts()).find((a) => a.id === chloe)!;
		const { temporaryPassword } = await eva.admin.resetPassword({ userId: chloe, version: account.version });
		expect(await handle.db.select().from(sessions).where(eq(sessions.userId, chloe))).toHaveLength(0);
		clock.advance(2_000);
		expect((await errorOf(login('educ.chloe', DEMO_PASSWORD))).message).toBe('invalid-credentials');
		clock.advance(2_000);
		expect((await login('educ.chloe', temporaryPassword)).mustChangePassword).toBe(true);
	});

	it('disables an account: sessions revoked, devices told to wipe at next contact, the administrator cannot disable themselves', async () => {
		const amelie = await callerAs(handle.db, 'tisf.amelie', clock);
		const deviceId = crypto.randomUUID();
		await pullAll(amelie, deviceId, { cursor: null, held: new Set() });
		await login('tisf.amelie', DEMO_PASSWORD);
		const eva = await callerAs(handle.db, 'admin.eva', clock);
		const accounts = await eva.admin.accounts();
		const account = accounts.find((a) => a.username === 'tisf.amelie')!;
		const result = await eva.admin.disableAccount({ userId: account.id, version: account.version });
		expect(result.devicesRevoked).toBe(1);
		expect(await handle.db.select().from(sessions).where(eq(sessions.userId, account.id))).toHaveLength(0);
		expect(await amelie.sync.pull({ deviceId, cursor: null, heldCaseIds: [] })).toEqual({ wipe: true });
		const self = accounts.find((a) => a.username === 'admin.eva')!;
		expect((await errorOf(eva.admin.disableAccount({ userId: self.id, version: self.version }))).message).toBe('cannot-disable-self');
		expect((await errorOf(eva.admin.disableAccount({ userId: account.id, version: account.version }))).message).toBe('account-conflict');

		const again = (await eva.admin.accounts()).find((a) => a.id === account.id)!;
		expect(again.disabledAt).not.toBeNull();
		await eva.admin.enableAccount({ userId: account.id, version: again.version });
		// Re-enabled, but the old device stays wiped.
		expect(await amelie.sync.pull({ deviceId, cursor: null, heldCaseIds: [] })).toEqual({ wipe: true });
	});

	it('revokes a device: its next pull answers wipe, the acknowledgement is recorded and audited, and the list shows it', async () => {
		const bruno = await callerAs(handle.db, 'aed.bruno', clock);
		const deviceId = crypto.randomUUID();
		await bruno.sync.pull({ deviceId, deviceLabel: 'Tablette de Bruno', cursor: null, heldCaseIds: [] });
		const eva = await callerAs(handle.db, 'admin.eva', clock);
		const listed = (await eva.admin.devices()).find((d) => d.id === deviceId)!;
		expect(listed).toMatchObject({ label: 'Tablette de Bruno', username: 'aed.bruno', lastSyncAt: clock.now().toISOString(), revokedAt: null, wipeAcknowledgedAt: null });
		expect(listed).not.toHaveProperty('journalSecret');

		clock.advance(60_000);
		expect(await eva.admin.revokeDevice({ deviceId })).toMatchObject({ alreadyRevoked: false });
		expect(await eva.admin.revokeDevice({ deviceId })).toMatchObject({ alreadyRevoked: true });
		expect(await bruno.sync.pull({ deviceId, cursor: null, heldCaseIds: [] })).toEqual({ wipe: true });
		clock.advance(1_000);
		expect(await bruno.sync.acknowledgeWipe({ deviceId })).toEqual({ acknowledged: true });

		const [row] = await handle.db.select({ wipeAcknowledgedAt: devices.wipeAcknowledgedAt }).from(devices).where(eq(devices.id, deviceId));
		expect(row.wipeAcknowledgedAt?.toISOString()).toBe(clock.now().toISOString());
		const [revoke] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'device.revoke'), eq(auditEvents.deviceId, deviceId)));
		expect(revoke.actorId).toBe(await userId(handle.db, 'admin.eva'));
		const [ack] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'device.wipe.acknowledged'), eq(auditEvents.deviceId, deviceId)));
		expect(ack.actorId).toBe(await userId(handle.db, 'aed.bruno'));
		expect((await eva.admin.devices()).find((d) => d.id === deviceId)?.wipeAcknowledgedAt).toBe(clock.now().toISOString());
	});

	it('the habilitation review flags the unused account, closed-case assignments, the expired delegation and users without a team', async () => {
		const eva = await callerAs(handle.db, 'admin.eva', clock);
		const review = await eva.admin.habilitationReview();
		const julien = review.accounts.find((a) => a.username === 'aed.julien')!;
		expect(julien.flags).toEqual(expect.arrayContaining(['unused', 'closed-case-assignments']));
		expect(julien.closedCaseReferences).toHaveLength(1);
		expect(julien.caseCount).toBe(8);
		expect(review.staleDelegations).toHaveLength(1);
		expect(review.staleDelegations[0]).toMatchObject({ fromName: 'Bruno Lemaire', toName: 'Amélie Roussel' });
		expect(review.accounts.find((a) => a.username === 'aed.bruno')?.flags).toContain('stale-delegation');
		expect(review.accounts.find((a) => a.username === 'chef.david')?.flags).toEqual([]);
		expect(review.accounts.find((a) => a.username === 'chef.david')?.habilitations).toHaveLength(5);

		await handle.db.update(users).set({ teamId: null }).where(eq(users.username, 'aed.gael'));
		const again = await eva.admin.habilitationReview();
		expect(again.accounts.find((a) => a.username === 'aed.gael')?.flags).toContain('no-team');
		expect(again.accounts.find((a) => a.username === 'admin.eva')?.flags).not.toContain('no-team');

		// Cleaning: the stale delegation is revoked, and a review is marked.
		await eva.admin.revokeDelegation({ delegationId: review.staleDelegations[0].id });
		const j = again.accounts.find((a) => a.username === 'aed.julien')!;
		await eva.admin.markReviewed({ userId: j.id, version: j.version });
		const after = await eva.admin.habilitationReview();
		expect(after.staleDelegations).toHaveLength(0);
		expect(after.accounts.find((a) => a.username === 'aed.julien')?.lastReviewAt).toBe(clock.now().toISOString());
		expect(await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'account.review'))).toHaveLength(1);
	});

	it('a user signing in after 90 days drops the "unused" flag', async () => {
		clock.advance(DAY);
		await login('aed.julien', DEMO_PASSWORD);
		const eva = await callerAs(handle.db, 'admin.eva', clock);
		expect((await eva.admin.habilitationReview()).accounts.find((a) => a.username === 'aed.julien')?.flags).not.toContain('unused');
	});

	it('organisations and teams: a provider is its own organisation; teams are created in one', async () => {
		const eva = await callerAs(handle.db, 'admin.eva', clock);
		const orgs = await eva.admin.organisations();
		expect(orgs.map((o) => o.kind).sort()).toEqual(['association', 'provider']);
		const provider = orgs.find((o) => o.kind === 'provider')!;
		expect(provider.teams.map((t) => t.name)).toEqual(['TISF Prestataire']);
		await eva.admin.createTeam({ organisationId: provider.id, name: 'TISF Prestataire Sud' });
		const { organisationId } = await eva.admin.createOrganisation({ name: 'Service départemental', kind: 'department' });
		const after = await eva.admin.organisations();
		expect(after.find((o) => o.id === provider.id)?.teams).toHaveLength(2);
		expect(after.find((o) => o.id === organisationId)).toMatchObject({ kind: 'department', accounts: 0, teams: [] });
		expect((await verifyAuditChain(handle.db)).status).toBe('intact');
	});
});
