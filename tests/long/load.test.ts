import { afterAll, describe, expect, it } from 'vitest';
import { LoadStats, SimulatedDevice, percentile, sleep } from '../support/loadClient';
import { runDeviceLoop } from './deviceLoop';
import { createLongDatabase, log, mean, round, sampleRss, startServer, type LongDatabase, type LongServer } from './longSupport';

/**
 * Load: many simulated devices syncing against one server process on PostgreSQL for a while.
 * No call may fail; latency percentiles are reported; the server's RSS must stay flat
 * (mean of the last window within 20% of the first window after warm-up).
 *
 * CARNET_LOAD_DEVICES (200), CARNET_LOAD_SECONDS (300), CARNET_LOAD_THINK_MS (5000, mean pause
 * between two sync cycles of a device), CARNET_LOAD_RAMP_SECONDS (30).
 */

const DEVICES = Number(process.env.CARNET_LOAD_DEVICES ?? 200);
const SECONDS = Number(process.env.CARNET_LOAD_SECONDS ?? 300);
const THINK_MS = Number(process.env.CARNET_LOAD_THINK_MS ?? 5_000);
const RAMP_SECONDS = Number(process.env.CARNET_LOAD_RAMP_SECONDS ?? 30);

describe(`${DEVICES} devices syncing for ${SECONDS} s`, () => {
	let db: LongDatabase | null = null;
	let server: LongServer | null = null;
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	it('makes no error, reports p50/p95/p99, keeps the server RSS flat', async () => {
		db = await createLongDatabase('load', DEVICES);
		server = await startServer({ DATABASE_URL: db.url, LOGIN_MAX_PER_ADDRESS: '10000' }, 4530);
		const stats = new LoadStats();
		const rss = sampleRss(() => server!.rssMiB(), 5_000);
		const started = Date.now();
		const until = started + SECONDS * 1_000;
		// Warm-up ends 30 s after the last device is signed in and holds its cases.
		let ready = 0;
		let allReadyAt = until;
		const onReady = () => {
			if (++ready === DEVICES) allReadyAt = Date.now();
		};

		const progress = setInterval(() => {
			const s = stats.summary(Date.now() - 10_000);
			log('load', { elapsedS: Math.round((Date.now() - started) / 1_000), callsLast10s: s.calls, errors: stats.errors.length, p95: round(s.p95), rssMiB: round(rss.samples.at(-1)?.mib ?? 0) });
		}, 30_000);
		const results = await Promise.all(
			db.workers.map(async (username, index) => {
				// Devices come online over the ramp, as a team starting its day would.
				await sleep((RAMP_SECONDS * 1_000 * index) / db!.workers.length);
				const device = new SimulatedDevice({ baseUrl: server!.url, username, stats, timeoutMs: 30_000 });
				return runDeviceLoop(device, { until, deadline: until, maxBatch: 2, thinkMs: THINK_MS, retry: false, onReady }).catch((error) => {
					log('device failed', { username, error: String(error) });
					return { cycles: -1 };
				});
			})
		);
		clearInterval(progress);
		rss.stop();

		const warmedUpAt = Math.min(allReadyAt + 30_000, until - 30_000);
		const total = stats.summary();
		const steady = stats.summary(warmedUpAt);
		const window = Math.min(60_000, (until - warmedUpAt) / 3);
		const firstWindow = rss.samples.filter((s) => s.at >= warmedUpAt && s.at < warmedUpAt + window).map((s) => s.mib);
		const lastWindow = rss.samples.filter((s) => s.at >= until - window).map((s) => s.mib);
		const byPath = Object.fromEntries(
			Object.keys(total.byPath).map((path) => {
				const ms = stats.calls.filter((c) => c.path === path).map((c) => c.ms).sort((a, b) => a - b);
				return [path, { calls: ms.length, p50: round(percentile(ms, 0.5)), p95: round(percentile(ms, 0.95)), p99: round(percentile(ms, 0.99)) }];
			})
		);
		const figures = {
			devices: DEVICES,
			seconds: SECONDS,
			thinkMs: THINK_MS,
			calls: total.calls,
			callsPerSecond: round(total.calls / SECONDS),
			errors: total.errors,
			rejected: stats.rejected.length,
			acknowledgedMutations: stats.acknowledged.size,
			allReadyAfterS: round((allReadyAt - started) / 1_000),
			cycles: results.reduce((a, r) => a + Math.max(0, r.cycles), 0),
			latencyMs: { p50: round(total.p50), p95: round(total.p95), p99: round(total.p99), max: round(total.max) },
			steadyLatencyMs: { p50: round(steady.p50), p95: round(steady.p95), p99: round(steady.p99) },
			byPath,
			rssMiB: {
				min: round(Math.min(...rss.samples.map((s) => s.mib))),
				max: round(Math.max(...rss.samples.map((s) => s.mib))),
				firstWindowMean: round(mean(firstWindow)),
				lastWindowMean: round(mean(lastWindow)),
				windowSeconds: Math.round(window / 1_000),
				drift: round(mean(lastWindow) / mean(firstWindow) - 1, 3)
			}
		};
		log('LOAD FIGURES', figures);
		if (stats.errors.length) log('first errors', stats.errors.slice(0, 5));

		expect(results.every((r) => r.cycles > 0)).toBe(true);
		expect(stats.errors).toEqual([]);
		expect(stats.rejected).toEqual([]);
		expect(firstWindow.length).toBeGreaterThan(0);
		expect(lastWindow.length).toBeGreaterThan(0);
		expect(Math.abs(figures.rssMiB.drift)).toBeLessThanOrEqual(0.2);
		expect(server!.child.exitCode).toBeNull();
	});
});
