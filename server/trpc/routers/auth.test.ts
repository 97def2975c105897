import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoIfEmpty } from '../../db/seedDemo';
import { auditEvents, sessions, users } from '../../db/schema';
import { validateSessionToken, SESSION_COOKIE } from '../../auth/session';
import { authPolicyFromConfig } from '../../auth/policyFromConfig';
import { verifyAuditChain } from '../../audit/verifyAuditChain';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../../tests/support/testDatabase';
import { callerFor, loadSessionUser, testConfig, TestClock } from '../../../tests/support/testCaller';
import { createCallerFactory, needProcedure, router } from '../trpc';
import { createContextInner } from '../context';

const policy = authPolicyFromConfig(testConfig);

function tokenFrom(headers: Headers): string {
	const cookie = headers.get('set-cookie') ?? '';
	const match = new RegExp(`${SESSION_COOKIE}=([a-z2-7]+)`).exec(cookie);
	if (!match) throw new Error(`no session cookie in ${cookie}`);
	return match[1];
}

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof TRPCError) return error;
		throw error;
	}
	throw new Error('expected an error');
}

describe.each(databaseKinds)('auth on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date('2026-11-23T09:00:00Z'));

	beforeAll(async () => {
		handle = await createTestDatabase(kind);
		await seedDemoIfEmpty(handle.db, clock.now());
	});
	afterAll(async () => handle?.destroy());

	const login = (username: string, password: string, opts: { secure?: boolean; address?: string } = {}) => {
		const { caller, resHeaders } = callerFor(handle.db, null, { now: clock.now, secure: opts.secure ?? false, clientAddress: opts.address ?? '10.0.0.1' });
		return caller.auth.login({ username, password }).then((result) => ({ result, resHeaders }));
	};

	it('signs in every demo account and sets an HttpOnly, SameSite=Lax cookie (Secure only over HTTPS)', async () => {
		for (const username of ['tisf.amelie', 'aed.bruno', 'educ.chloe', 'chef.david', 'admin.eva', 'dpo.farid']) {
			const { result, resHeaders } = await login(username, DEMO_PASSWORD);
			expect(result.mustChangePassword).toBe(false);
			const cookie = resHeaders.get('set-cookie')!;
			expect(cookie).toMatch(/HttpOnly/);
			expect(cookie).toMatch(/SameSite=Lax/);
			expect(cookie).not.toMatch(/Secure/);
		}
		const { resHeaders } = await login('tisf.amelie', DEMO_PASSWORD, { secure: true });
		expect(resHeaders.get('set-cookie')).toMatch(/; Secure/);
	});

	it('stores only the SHA-256 of the session token', async () => {
		const { resHeaders } = await login('aed.bruno', DEMO_PASSWORD);
		const token = tokenFrom(resHeaders);
		const rows = await handle.db.select({ id: sessions.id }).from(sessions);
		expect(rows.some((r) => r.id === token)).toBe(false);
		const validated = await validateSessionToken(handle.db, token, clock.now(), policy.session);
		expect(validated.user?.username).toBe('aed.bruno');
		expect(rows.some((r) => r.id === validated.session?.id)).toBe(true);
	});

	it('answers the same for an unknown username and a wrong password', async () => {
		const unknown = await errorOf(login('personne.inconnue', DEMO_PASSWORD));
		const wrong = await errorOf(login('educ.chloe', 'Mauvais-Mot-2026!'));
		expect(unknown.code).toBe('UNAUTHORIZED');
		expect(wrong.code).toBe(unknown.code);
		expect(wrong.message).toBe(unknown.message);
		expect(wrong.message).toBe('invalid-credentials');
	});

	it('refuses the 6th try after 5 wrong passwords, even with the right password, until the lock expires', async () => {
		const username = 'aed.gael';
		for (let i = 1; i <= 5; i++) {
			const error = await errorOf(login(username, `Wrong-Password-${i}!x`));
			expect(error.message).toBe('invalid-credentials');
			clock.advance(10_000);
		}
		const locked = await errorOf(login(username, DEMO_PASSWORD));
		expect(locked.code).toBe('TOO_MANY_REQUESTS');
		expect(locked.message).toBe('login-throttled');
		clock.advance(testConfig.LOGIN_LOCK_MINUTES * 60_000 - 20_000);
		expect((await errorOf(login(username, DEMO_PASSWORD))).code).toBe('TOO_MANY_REQUESTS');
		clock.advance(30_000);
		const { result } = await login(username, DEMO_PASSWORD);
		expect(result.userId).toBeTruthy();
		const locks = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'auth.lock'));
		expect(locks.some((e) => (e.details as { username?: string }).username === username)).toBe(true);
	});

	it('delays a second try made at once after a failure, and locks unknown usernames the same way', async () => {
		await errorOf(login('aed.julien', 'Wrong-Password-1!x'));
		clock.advance(1_000);
		await errorOf(login('aed.julien', 'Wrong-Password-2!x'));
		const delayed = await errorOf(login('aed.julien', DEMO_PASSWORD));
		expect(delayed.message).toBe('login-throttled');

		for (let i = 0; i < 5; i++) {
			await errorOf(login('nobody.here', `Wrong-Password-${i}!x`));
			clock.advance(10_000);
		}
		expect((await errorOf(login('nobody.here', DEMO_PASSWORD))).message).toBe('login-throttled');
		clock.advance(testConfig.LOGIN_LOCK_MINUTES * 60_000);
	});

	it('rate-limits one client address across accounts', async () => {
		const address = '10.9.9.9';
		let throttled = 0;
		for (let i = 0; i < testConfig.LOGIN_MAX_PER_ADDRESS + 3; i++) {
			const error = await errorOf(login(`spray.${i}`, 'Wrong-Password-0!x', { address }));
			if (error.message === 'login-throttled') throttled++;
		}
		expect(throttled).toBe(3);
	});

	it('forces a password change after an administrator reset; nothing else is reachable until then', async () => {
		await handle.db.update(users).set({ mustChangePassword: true }).where(eq(users.username, 'educ.chloe'));
		const { result, resHeaders } = await login('educ.chloe', DEMO_PASSWORD);
		expect(result.mustChangePassword).toBe(true);
		const token = tokenFrom(resHeaders);
		const { user, session } = await validateSessionToken(handle.db, token, clock.now(), policy.session);
		const probeRouter = router({ probe: needProcedure('signed-in').query(() => 'reached') });
		const probe = createCallerFactory(probeRouter)(createContextInner({ db: handle.db, config: testConfig, user }));
		expect((await errorOf(probe.probe())).message).toBe('password-change-required');

		const { caller } = callerFor(handle.db, user, { now: clock.now, sessionId: session!.id });
		expect((await caller.auth.me()).mustChangePassword).toBe(true);
		const weak = await errorOf(caller.auth.changePassword({ currentPassword: DEMO_PASSWORD, newPassword: 'motdepasse' }));
		expect(weak.message).toBe('password-too-weak');
		await caller.auth.changePassword({ currentPassword: DEMO_PASSWORD, newPassword: 'Nouveau-Carnet-2026?' });
		const after = await loadSessionUser(handle.db, 'educ.chloe');
		expect(after.mustChangePassword).toBe(false);
		const probeAfter = createCallerFactory(probeRouter)(createContextInner({ db: handle.db, config: testConfig, user: after }));
		expect(await probeAfter.probe()).toBe('reached');
	});

	it('revokes every session of the user on password change', async () => {
		const first = tokenFrom((await login('tisf.amelie', DEMO_PASSWORD)).resHeaders);
		const second = tokenFrom((await login('tisf.amelie', DEMO_PASSWORD)).resHeaders);
		const { user, session } = await validateSessionToken(handle.db, second, clock.now(), policy.session);
		const { caller, resHeaders } = callerFor(handle.db, user, { now: clock.now, sessionId: session!.id });
		await caller.auth.changePassword({ currentPassword: DEMO_PASSWORD, newPassword: 'Autre-Carnet-2026#' });
		expect((await validateSessionToken(handle.db, first, clock.now(), policy.session)).session).toBeNull();
		expect((await validateSessionToken(handle.db, second, clock.now(), policy.session)).session).toBeNull();
		const fresh = tokenFrom(resHeaders);
		expect((await validateSessionToken(handle.db, fresh, clock.now(), policy.session)).user?.username).toBe('tisf.amelie');
		await caller.auth.changePassword({ currentPassword: 'Autre-Carnet-2026#', newPassword: DEMO_PASSWORD + 'x' }).catch(() => {});
	});

	it('expires sessions after inactivity and at their absolute end', async () => {
		const token = tokenFrom((await login('chef.david', DEMO_PASSWORD)).resHeaders);
		const idle = new Date(clock.now().getTime() + policy.session.idleMs + 1);
		expect((await validateSessionToken(handle.db, token, idle, policy.session)).session).toBeNull();
		const token2 = tokenFrom((await login('chef.david', DEMO_PASSWORD)).resHeaders);
		let t = clock.now().getTime();
		const end = t + policy.session.maxAgeMs;
		while (t + policy.session.idleMs / 2 < end) {
			t += policy.session.idleMs / 2;
			const r = await validateSessionToken(handle.db, token2, new Date(t), policy.session);
			if (t < end) expect(r.session).not.toBeNull();
		}
		expect((await validateSessionToken(handle.db, token2, new Date(end), policy.session)).session).toBeNull();
	});

	it('refuses malformed input with field-level issues and writes nothing', async () => {
		const before = await handle.db.select().from(auditEvents);
		const error = await errorOf(
			callerFor(handle.db, null).caller.auth.login({ username: '', password: 'x'.repeat(300) } as never)
		);
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.cause).toBeInstanceOf(Error);
		const issues = (error.cause as unknown as { issues: { path: PropertyKey[] }[] }).issues;
		expect(issues.map((i) => i.path.join('.')).sort()).toEqual(['password', 'username']);
		expect((await handle.db.select().from(auditEvents)).length).toBe(before.length);
	});

	it('writes every login, failure and lock to an intact hash chain', async () => {
		const events = await handle.db.select().from(auditEvents);
		const actions = new Set(events.map((e) => e.action));
		expect(actions).toContain('auth.login');
		expect(actions).toContain('auth.lock');
		expect(events.some((e) => e.action === 'auth.login' && e.outcome === 'failure')).toBe(true);
		const report = await verifyAuditChain(handle.db);
		expect(report).toMatchObject({ status: 'intact', count: events.length });
	});
});
