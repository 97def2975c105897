import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client';
import { verifyAuditChain } from '../../server/audit/verifyAuditChain';
import { LoadStats, SimulatedDevice, settledResult, sleep, withRetry } from '../support/loadClient';
import { runDeviceLoop } from './deviceLoop';
import { createLongDatabase, log, round, startServer, type LongServer } from './longSupport';

const run = promisify(execFile);

/**
 * Faults: PostgreSQL restarted under 50 syncing devices; the server killed (SIGKILL) mid-push on
 * an on-disk PGlite. In both, every mutation the server acknowledged must be in the database.
 */

const PG_CLUSTER = (process.env.CARNET_LONG_PG_CLUSTER ?? '15 main').split(' ');
const pgctl = (action: 'stop' | 'start' | 'status') =>
	run('pg_ctlcluster', ['--skip-systemctl-redirect', ...PG_CLUSTER, action], { timeout: 60_000 });

async function postgresDown(): Promise<boolean> {
	try {
		await pgctl('status');
		return false;
	} catch {
		return true;
	}
}

const canRestartPostgres = process.getuid?.() === 0 && process.env.CARNET_LONG_PG_RESTART !== 'off';

/** Checks every acknowledged mutation against the tables: its idempotency record and its note. */
async function missingAcknowledged(
	stats: LoadStats,
	query: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>
): Promise<string[]> {
	const ids = [...stats.acknowledged.keys()];
	const missing: string[] = [];
	const applied = new Map<string, unknown>();
	for (let i = 0; i < ids.length; i += 500) {
		const rows = await query('select id::text as id, result from applied_mutations where id = any($1::uuid[])', [ids.slice(i, i + 500)]);
		for (const row of rows) applied.set(String(row.id), row.result);
	}
	const noteIds = new Set<string>();
	const wanted: string[] = [];
	for (const { result, mutation } of stats.acknowledged.values()) {
		const settled = settledResult(result);
		if (mutation.type === 'note.create' || mutation.type === 'note.update') wanted.push(mutation.payload.noteId);
		if (settled.status === 'conflict') wanted.push(settled.revisionId);
	}
	for (let i = 0; i < wanted.length; i += 500) {
		const rows = await query('select id::text as id from notes where id = any($1::uuid[])', [wanted.slice(i, i + 500)]);
		for (const row of rows) noteIds.add(String(row.id));
	}
	for (const [id, { result, mutation }] of stats.acknowledged) {
		const stored = applied.get(id) as { status?: string } | undefined;
		const settled = settledResult(result);
		if (!stored || stored.status !== settled.status) missing.push(`${id}: applied_mutations ${JSON.stringify(stored)} vs ${settled.status}`);
		if ((mutation.type === 'note.create' || mutation.type === 'note.update') && !noteIds.has(mutation.payload.noteId)) {
			missing.push(`${id}: note ${mutation.payload.noteId} missing`);
		}
		if (settled.status === 'conflict' && !noteIds.has(settled.revisionId)) missing.push(`${id}: conflict revision ${settled.revisionId} missing`);
	}
	return missing;
}

describe.runIf(canRestartPostgres)('PostgreSQL restarted while 50 devices sync', () => {
	const cleanups: (() => Promise<void>)[] = [];
	afterAll(async () => {
		// PostgreSQL must be up again whatever happened.
		if (await postgresDown()) await pgctl('start');
		for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
	});

	it('recovers without a restart; every acknowledged mutation is stored; clients finish after retrying', async () => {
		const devicesCount = Number(process.env.CARNET_LONG_FAULT_DEVICES ?? 50);
		const db = await createLongDatabase('faults', devicesCount);
		cleanups.push(() => db.drop());
		const server = await startServer({ DATABASE_URL: db.url, LOGIN_MAX_PER_ADDRESS: '10000' }, 4510);
		cleanups.push(() => server.stop());
		const pid = server.child.pid;
		const stats = new LoadStats();
		const devices = db.workers.map((username) => new SimulatedDevice({ baseUrl: server.url, username, stats, timeoutMs: 20_000 }));
		const deadline = Date.now() + 5 * 60_000;
		const retries: { at: number; status: number | 'network'; path: string }[] = [];

		// Health as seen from outside, every 250 ms: when it went down and when it came back.
		const health: { at: number; ok: boolean }[] = [];
		let watching = true;
		const watcher = (async () => {
			while (watching) {
				const at = Date.now();
				const ok = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2_000) })
					.then((r) => r.status === 200)
					.catch(() => false);
				health.push({ at, ok });
				await sleep(250);
			}
		})();

		const loops = Promise.all(
			devices.map((device) =>
				runDeviceLoop(device, {
					cycles: 12,
					deadline,
					maxBatch: 3,
					thinkMs: 600,
					retry: true,
					onRetry: (_d, error) => retries.push({ at: Date.now(), status: error.status, path: error.path })
				})
			)
		);

		// Stop the database mid-sync: once every device is signed in and pushing.
		const waitUntil = Date.now() + 120_000;
		while (stats.acknowledged.size < devices.length * 2 && Date.now() < waitUntil) await sleep(100);
		const ackBefore = stats.acknowledged.size;
		const stopAt = Date.now();
		log('stopping PostgreSQL', { acknowledgedSoFar: ackBefore });
		await pgctl('stop');
		await sleep(3_000);
		await pgctl('start');
		const startedAt = Date.now();
		log('PostgreSQL started again', { downForMs: startedAt - stopAt });

		const results = await loops.catch((error) => {
			log('a device gave up', { error: String(error), serverExit: server.child.exitCode ?? server.child.signalCode, serverOutput: server.output().slice(-4_000) });
			throw error;
		}).finally(async () => {
			watching = false;
			await watcher;
		});

		const firstDown = health.find((h) => h.at >= stopAt && !h.ok);
		const backUp = health.find((h) => h.at >= startedAt && h.ok);
		const firstPushAfter = stats.calls.find((c) => c.path === 'sync.push' && c.at >= startedAt && c.status === 200);
		const missing = await missingAcknowledged(stats, (text, params) => db.sql.unsafe(text, params as never[]));
		const transientRejections = stats.rejected;
		const summary = stats.summary();
		const figures = {
			devices: devices.length,
			cyclesDone: results.reduce((a, r) => a + r.cycles, 0),
			calls: summary.calls,
			failedCallsRetried: retries.length,
			failedByStatus: retries.reduce<Record<string, number>>((acc, r) => ((acc[String(r.status)] = (acc[String(r.status)] ?? 0) + 1), acc), {}),
			acknowledged: stats.acknowledged.size,
			rejected: transientRejections.length,
			missing: missing.length,
			postgresDownMs: startedAt - stopAt,
			healthDownAfterStopMs: firstDown ? firstDown.at - stopAt : null,
			healthzBackAfterStartMs: backUp ? backUp.at - startedAt : null,
			firstPushAfterStartMs: firstPushAfter ? firstPushAfter.at - startedAt : null,
			driverFaultsSurvived: (server.output().match(/database\.driver-fault/g) ?? []).length,
			p50: round(summary.p50),
			p99: round(summary.p99)
		};
		log('PostgreSQL restart figures', figures);
		if (transientRejections.length) log('rejections', transientRejections.slice(0, 5).map((r) => ({ result: r.result, type: r.mutation.type })));
		if (missing.length) log('missing', missing.slice(0, 10));

		// The same process served before and after: no restart.
		expect(server.child.pid).toBe(pid);
		expect(server.child.exitCode).toBeNull();
		expect(firstDown, 'healthz reported the outage').toBeDefined();
		expect(backUp, 'healthz came back').toBeDefined();
		expect(results.every((r) => r.cycles === 12)).toBe(true);
		expect(retries.length, 'the outage was felt by the clients').toBeGreaterThan(0);
		expect(missing).toEqual([]);
		// A valid mutation refused because the database was away would turn a note back into a draft.
		expect(transientRejections.map((r) => settledResult(r.result))).toEqual([]);

		const handle = await openDatabase({ databaseUrl: db.url, migrationsDir: 'server/db/migrations', poolSize: 1 });
		try {
			expect((await verifyAuditChain(handle.db)).status).toBe('intact');
		} finally {
			await handle.close();
		}
	});
});

describe('server killed (SIGKILL) mid-push on an on-disk PGlite', () => {
	const dir = mkdtempSync(join(tmpdir(), 'carnet-long-pglite-'));
	let server: LongServer | null = null;
	afterAll(async () => {
		await server?.stop('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
	});

	it('starts again on the same files, migrations fine, no acknowledged mutation lost', async () => {
		const env = { PGLITE_DIR: dir, DEMO_SEED: 'auto', LOGIN_MAX_PER_ADDRESS: '10000' };
		const port = 4511;
		server = await startServer(env, port, 120_000);
		const base = () => server!.url;
		const stats = new LoadStats();
		const usernames = ['tisf.amelie', 'aed.bruno', 'educ.chloe', 'aed.gael', 'tisf.ines'];
		const devices = usernames.map((username) => new SimulatedDevice({ baseUrl: base, username, stats, timeoutMs: 20_000 }));
		for (const device of devices) {
			await device.login();
			await device.pullAll();
		}
		const kills: { round: number; inFlight: number; restartMs: number }[] = [];
		for (let round = 1; round <= 3; round++) {
			let pushing = true;
			let inFlight = 0;
			const pending = new Map<SimulatedDevice, import('../../src/lib/shared/sync').Mutation[]>();
			const loops = devices.map(async (device) => {
				while (pushing) {
					const batch = pending.get(device) ?? Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => device.nextMutation());
					pending.set(device, batch);
					inFlight++;
					try {
						await device.push(batch);
						pending.delete(device);
					} catch {
						// killed under it: the batch stays pending and is sent again after the restart
						return;
					} finally {
						inFlight--;
					}
				}
			});
			await sleep(1_500 + Math.random() * 2_500);
			const inFlightAtKill = inFlight;
			await server.stop('SIGKILL');
			pushing = false;
			await Promise.all(loops);
			const restartStarted = Date.now();
			server = await startServer(env, port, 120_000);
			const restartMs = Date.now() - restartStarted;
			kills.push({ round, inFlight: inFlightAtKill, restartMs });
			// Sessions live in the database: the same cookies still work. Re-send what was pending.
			for (const [device, batch] of pending) {
				await withRetry(() => device.push(batch), { deadline: Date.now() + 30_000 });
			}
			for (const device of devices) await device.pullAll();
		}

		// A fresh device per user pulls everything: each acknowledged note is there.
		const seen = new Set<string>();
		for (const username of usernames) {
			const fresh = new SimulatedDevice({ baseUrl: base, username, stats });
			await fresh.login();
			for (const note of await fresh.pullAll()) seen.add(note.id);
		}
		const lost: string[] = [];
		for (const { result, mutation } of stats.acknowledged.values()) {
			const settled = settledResult(result);
			if ((mutation.type === 'note.create' || mutation.type === 'note.update') && !seen.has(mutation.payload.noteId)) lost.push(mutation.payload.noteId);
			if (settled.status === 'conflict' && !seen.has(settled.revisionId)) lost.push(settled.revisionId);
		}
		const duplicates = [...stats.acknowledged.values()].filter((a) => a.result.status === 'duplicate').length;
		log('PGlite SIGKILL figures', { kills, acknowledged: stats.acknowledged.size, duplicatesAfterRestart: duplicates, rejected: stats.rejected.length, lost: lost.length });
		expect(lost).toEqual([]);
		expect(stats.rejected.map((r) => r.result)).toEqual([]);

		await server.stop();
		server = null;
		const handle = await openDatabase({ pgliteDir: dir, migrationsDir: 'server/db/migrations' });
		try {
			const missing = await missingAcknowledged(stats, async (text, params) => {
				const result = await (handle.db as unknown as { $client: import('@electric-sql/pglite').PGlite }).$client.query(text, params);
				return result.rows as Record<string, unknown>[];
			});
			expect(missing).toEqual([]);
			expect((await verifyAuditChain(handle.db)).status).toBe('intact');
		} finally {
			await handle.close();
		}
	});
});
