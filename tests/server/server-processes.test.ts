import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config';
import { openDatabase } from '../../server/db/client';
import { seedDemoIfEmpty } from '../../server/db/seedDemo';
import { startBuiltServer, type ServerProcess } from '../support/serverProcess';
import { databaseKinds, testPostgresUrl } from '../support/testDatabase';

// SERVER_PROCESSES (scripts/serve.js): several processes share the port on PostgreSQL; nothing a
// request needs lives in one process, so any of them answers any request.

describe('SERVER_PROCESSES configuration', () => {
	it('accepts a count or auto on PostgreSQL, and refuses more than one process on the embedded database', () => {
		const pg = { DATABASE_URL: 'postgres://localhost/x' };
		expect(parseConfig({}).SERVER_PROCESSES).toBe(1);
		expect(parseConfig({ ...pg, SERVER_PROCESSES: '4' }).SERVER_PROCESSES).toBe(4);
		expect(parseConfig({ ...pg, SERVER_PROCESSES: 'auto' }).SERVER_PROCESSES).toBe('auto');
		expect(parseConfig({ SERVER_PROCESSES: '1' }).SERVER_PROCESSES).toBe(1);
		for (const value of ['0', '-1', '2.5', 'many', '65']) {
			expect(() => parseConfig({ ...pg, SERVER_PROCESSES: value }), value).toThrow(/SERVER_PROCESSES/);
		}
		expect(() => parseConfig({ SERVER_PROCESSES: '2' })).toThrow(ConfigError);
		expect(() => parseConfig({ SERVER_PROCESSES: 'auto' })).toThrow(/SERVER_PROCESSES needs DATABASE_URL/);
	});

	it('takes the PostgreSQL pool size per process from DATABASE_POOL_SIZE (default 4)', () => {
		expect(parseConfig({}).DATABASE_POOL_SIZE).toBe(4);
		expect(parseConfig({ DATABASE_POOL_SIZE: '12' }).DATABASE_POOL_SIZE).toBe(12);
		for (const value of ['0', '1.5', 'ten', '101']) expect(() => parseConfig({ DATABASE_POOL_SIZE: value }), value).toThrow(/DATABASE_POOL_SIZE/);
	});

	it('stops the built server, naming the variable, when asked for two processes on the embedded database', async () => {
		await expect(startBuiltServer({ SERVER_PROCESSES: '2', PGLITE_DIR: 'memory://' }, 4331)).rejects.toThrow(/SERVER_PROCESSES/);
	});
});

/** Child processes of `pid` (the cluster's workers), from /proc. */
function childrenOf(pid: number): number[] {
	return readdirSync('/proc')
		.filter((entry) => /^\d+$/.test(entry))
		.filter((entry) => {
			try {
				return Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
			} catch {
				return false;
			}
		})
		.map(Number);
}

function cpuTicks(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

/** One request on a connection of its own (no keep-alive), so that connections spread over the processes. */
function fresh(url: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
	return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
		const req = request(`${url}${path}`, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
		});
		req.on('error', reject);
		req.end(init.body);
	});
}

async function until<T>(what: string, read: () => T | null | undefined, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = read();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe.runIf(databaseKinds.includes('postgres'))('two server processes on PostgreSQL', () => {
	const name = `carnet_proc_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
	const admin = postgres(testPostgresUrl, { max: 1, onnotice: () => {} });
	let server: ServerProcess;
	let cookie: string;

	beforeAll(async () => {
		await admin.unsafe(`create database ${name}`);
		const url = new URL(testPostgresUrl);
		url.pathname = `/${name}`;
		// A fresh database: the first process applies the migrations before the second one starts.
		server = await startBuiltServer({ DATABASE_URL: url.toString(), SERVER_PROCESSES: '2', DATABASE_POOL_SIZE: '2' }, 4332);
		await until('two processes', () => server.output().includes('"event":"server.processes","count":2'));
		const handle = await openDatabase({ databaseUrl: url.toString(), migrationsDir: 'server/db/migrations', poolSize: 1 });
		await seedDemoIfEmpty(handle.db);
		await handle.close();
		const login = await fresh(server.url, '/trpc/auth.login', {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: 'http://localhost:4332' },
			body: JSON.stringify({ username: 'tisf.amelie', password: 'Carnet-Demo-2026!' })
		});
		expect(login.status).toBe(200);
		cookie = String(login.headers['set-cookie']).split(';')[0];
	}, 120_000);

	afterAll(async () => {
		await server?.stop();
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end();
	});

	it('serves a session opened on one process from every process', async () => {
		const workers = childrenOf(server.process.pid!);
		expect(workers).toHaveLength(2);
		const before = workers.map(cpuTicks);
		for (let i = 0; i < 40; i++) {
			const me = await fresh(server.url, '/trpc/auth.me', { headers: { cookie } });
			expect(me.status).toBe(200);
			expect(JSON.parse(me.body).result.data.username).toBe('tisf.amelie');
		}
		// Connections go round-robin: both processes did work.
		workers.forEach((pid, i) => expect(cpuTicks(pid), `process ${pid}`).toBeGreaterThan(before[i]));
	});

	it('opens at most DATABASE_POOL_SIZE connections per process, however many requests come at once', async () => {
		const answers = await Promise.all(Array.from({ length: 60 }, () => fresh(server.url, '/trpc/auth.me', { headers: { cookie } })));
		for (const answer of answers) expect(answer.status).toBe(200);
		const [{ n }] = await admin<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = ${name} and application_name = 'carnet'`;
		expect(n).toBeGreaterThanOrEqual(2);
		expect(n).toBeLessThanOrEqual(4);
	});

	it('replaces a process that dies, and keeps answering meanwhile', async () => {
		const [victim, survivor] = childrenOf(server.process.pid!);
		process.kill(victim, 'SIGKILL');
		const replaced = await until('a replacement process', () => {
			const now = childrenOf(server.process.pid!);
			return now.length === 2 && !now.includes(victim) && now.includes(survivor) ? now : null;
		});
		expect(replaced).toHaveLength(2);
		expect(server.output()).toContain('"event":"server.process-exited"');
		await until('the replacement listening', () => server.output().split('Listening on').length - 1 >= 3);
		for (let i = 0; i < 10; i++) expect((await fresh(server.url, '/trpc/auth.me', { headers: { cookie } })).status).toBe(200);
	});

	it('stops every process on SIGTERM, after closing their database pools', async () => {
		const workers = childrenOf(server.process.pid!);
		const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
		server.process.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(server.output().split('"event":"database.closed"').length - 1).toBeGreaterThanOrEqual(2);
		for (const pid of workers) expect(() => process.kill(pid, 0), `process ${pid}`).toThrow();
	});
});
