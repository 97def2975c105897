import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallError, LoadStats, SimulatedDevice, sleep } from '../support/loadClient';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/proxyRoundRobin';
import { createLongDatabase, log, startServer, type LongDatabase, type LongServer } from './longSupport';

/**
 * Scale-out: two server processes on one PostgreSQL behind a round-robin proxy. Nothing lives in
 * a process: a session opened on one is valid on the other, and login throttling (per account
 * and per address) is counted in the database, so it holds across both.
 */

const MAX_PER_ADDRESS = 20;

describe('two processes behind a round-robin proxy', () => {
	let db: LongDatabase;
	const servers: LongServer[] = [];
	let proxy: RoundRobinProxy;
	const stats = new LoadStats();

	beforeAll(async () => {
		db = await createLongDatabase('scale', 3);
		const proxyPort = 4522;
		const env = {
			DATABASE_URL: db.url,
			ORIGIN: `http://127.0.0.1:${proxyPort}`,
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			LOGIN_MAX_PER_ADDRESS: String(MAX_PER_ADDRESS),
			LOGIN_LOCK_MINUTES: '15'
		};
		servers.push(await startServer(env, 4520), await startServer(env, 4521));
		proxy = await startRoundRobinProxy(servers.map((s) => s.url), proxyPort);
	});
	afterAll(async () => {
		await proxy?.close();
		for (const server of servers) await server.stop();
		await db?.drop();
	});

	it('a device signs in once and syncs through both processes', async () => {
		const device = new SimulatedDevice({ baseUrl: proxy.url, username: db.workers[0], stats });
		await device.login();
		const backends: string[] = [];
		await device.pullAll();
		for (let cycle = 0; cycle < 10; cycle++) {
			const pushed = [device.nextMutation(), device.nextMutation()];
			await device.push(pushed);
			backends.push(device.lastBackend!);
			await device.pullAll();
			backends.push(device.lastBackend!);
			// What one process stored, the other one serves at once.
			for (const mutation of pushed) {
				if (mutation.type === 'note.create') expect(device.seenNoteIds.has(mutation.payload.noteId)).toBe(true);
			}
		}
		log('scale-out sync', { requestsPerBackend: proxy.counts, pushes: device.pushes, pulls: device.pulls, acknowledged: stats.acknowledged.size });
		expect(new Set(backends)).toEqual(new Set(['0', '1']));
		// Push and the following pull always land on different processes.
		for (let i = 0; i < backends.length; i += 2) expect(backends[i]).not.toBe(backends[i + 1]);
		expect(stats.errors).toEqual([]);
		expect(stats.rejected).toEqual([]);
		const [sessions] = await db.sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.username = ${db.workers[0]}`;
		expect(sessions.n).toBe(1);
		const [devices] = await db.sql`select count(*)::int as n from devices where id = ${device.deviceId}`;
		expect(devices.n).toBe(1);
	});

	it('five wrong passwords split across both processes lock the account', async () => {
		const username = db.workers[1];
		const guesser = new SimulatedDevice({ baseUrl: proxy.url, username, password: 'pas-le-bon-mot-de-passe', stats: new LoadStats() });
		const hits: string[] = [];
		const delays = [0, 1, 2, 4, 8];
		for (let failure = 1; failure <= 5; failure++) {
			const error = await guesser.login().then(() => null, (e: CallError) => e);
			hits.push(guesser.lastBackend!);
			expect(error?.status).toBe(401);
			expect(error?.appCode).toBe('invalid-credentials');
			if (failure < 5) await sleep(delays[failure] * 1_000 + 300);
		}
		expect(new Set(hits)).toEqual(new Set(['0', '1']));
		// The right password is now refused by both processes.
		const owner = new SimulatedDevice({ baseUrl: proxy.url, username, stats: new LoadStats() });
		const refusedOn: string[] = [];
		for (let i = 0; i < 2; i++) {
			const error = await owner.login().then(() => null, (e: CallError) => e);
			expect(error?.status).toBe(429);
			expect(error?.appCode).toBe('login-throttled');
			refusedOn.push(owner.lastBackend!);
		}
		expect(new Set(refusedOn)).toEqual(new Set(['0', '1']));
		const [row] = await db.sql`select failures, locked_until > now() as locked from login_throttles where key = ${'account:' + username}`;
		expect(row).toEqual({ failures: 5, locked: true });
		log('scale-out account lock', { failuresOn: hits, lockedRefusalsOn: refusedOn });
	});

	it('the per-address limit is counted once for both processes', async () => {
		const [before] = await db.sql`select attempts from login_throttles where key = 'ip:127.0.0.1'`;
		let allowed = before.attempts as number;
		const answeredBy = new Map<string, number>();
		let firstRefusalAt: number | null = null;
		for (let attempt = 0; attempt < MAX_PER_ADDRESS + 4; attempt++) {
			// A different made-up username each time: only the address limit can stop these.
			const probe = new SimulatedDevice({ baseUrl: proxy.url, username: `inconnu.${attempt}`, stats: new LoadStats() });
			const error = await probe.login().then(() => null, (e: CallError) => e);
			answeredBy.set(probe.lastBackend!, (answeredBy.get(probe.lastBackend!) ?? 0) + 1);
			if (error?.status === 401) allowed++;
			else {
				expect(error?.status).toBe(429);
				firstRefusalAt ??= allowed;
			}
		}
		expect(firstRefusalAt).toBe(MAX_PER_ADDRESS);
		// Valid credentials from that address are refused too, on both processes.
		const valid = new SimulatedDevice({ baseUrl: proxy.url, username: db.workers[2], stats: new LoadStats() });
		const refusedOn = new Set<string>();
		for (let i = 0; i < 2; i++) {
			const error = await valid.login().then(() => null, (e: CallError) => e);
			expect(error?.status).toBe(429);
			refusedOn.add(valid.lastBackend!);
		}
		expect(refusedOn).toEqual(new Set(['0', '1']));
		const rows = await db.sql`select key, attempts from login_throttles where key like 'ip:%'`;
		expect(rows.map((r) => r.key)).toEqual(['ip:127.0.0.1']);
		const [denied] = await db.sql`select count(*)::int as n from audit_events where action = 'auth.login' and outcome = 'denied' and details->>'reason' = 'address-limit'`;
		expect(denied.n).toBeGreaterThanOrEqual(6);
		log('scale-out address limit', { limit: MAX_PER_ADDRESS, attemptsPerBackend: Object.fromEntries(answeredBy), addressAttemptsStored: rows[0].attempts });
	});
});
