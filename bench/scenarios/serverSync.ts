import os from 'node:os';
import postgres from 'postgres';
import { openDatabase } from '../../server/db/client';
import { pullChanges } from '../../server/sync/pullChanges';
import type { PullOutput } from '../../src/lib/shared/sync';
import type { AppServer } from '../lib/appServer';
import type { Figures } from '../lib/figures';
import { createSessions } from '../lib/sessions';
import { percentile } from '../lib/stats';
import { callMutation, callPullFrame, createAgent } from '../lib/trpcHttp';
import type { FramedPullOutput } from '../../src/lib/shared/pullFrame';
import { ids } from '../dataset/generateDataset';

export interface ServerSyncOptions {
	databaseUrl: string;
	server: AppServer;
	figures: Figures;
	log: (line: string) => void;
	/** Workers in the dataset (users 1..n). */
	users: number;
	/** Sizes: tiny in the smoke test. */
	pullCalls: number;
	runs: number;
	devices: number;
	seconds: number;
	/**
	 * A comparison reading (e.g. `single_process`): its figures are named `<figure>.<variant>`
	 * and carry no target (the targets are held against the server as deployed).
	 */
	variant?: string;
}

/** Adds a figure under the options' variant (see `ServerSyncOptions.variant`). */
function addFigure(o: ServerSyncOptions, ...[name, unit, values, target]: Parameters<Figures['add']>): void {
	o.figures.add(o.variant ? `${name}.${o.variant}` : name, unit, values, o.variant ? undefined : target);
}

/** The machine is shared: the 1-minute load average goes into the log beside each run. */
const loadavg = () => os.loadavg()[0].toFixed(1);

export type Device = { userId: string; token: string; deviceId: string; cursor: string | null; held: string[]; caseIds: string[] };

/** Pulls until the device holds everything (pages as objects or packed, as `pull` asks for them). */
export async function firstSync(pull: (input: object) => Promise<{ data: PullOutput | FramedPullOutput; bytes: number }>, device: Device) {
	for (let page = 0; page < 100; page++) {
		const { data } = await pull({ deviceId: device.deviceId, cursor: device.cursor, heldCaseIds: device.held });
		if (data.wipe) throw new Error('wiped');
		device.held = [...new Set([...device.held, ...(data.packed ?? data).cases.map((c) => c.id)])];
		device.cursor = data.cursor;
		if (!data.hasMore) return;
	}
	throw new Error('first sync did not end');
}

/**
 * incremental_pull: a device holding its 15 cases pulls with nothing changed, against the large
 * database. Server time is pullChanges itself, called in-process on the same database (no HTTP,
 * no JSON); the response size and the HTTP round trip come from the built server.
 */
export async function benchIncrementalPull(o: ServerSyncOptions): Promise<void> {
	const handle = await openDatabase({ databaseUrl: o.databaseUrl, migrationsDir: 'server/db/migrations', poolSize: 10 });
	const sql = postgres(o.databaseUrl, { max: 1, onnotice: () => {} });
	const agent = createAgent(4);
	try {
		const p95s: number[] = [];
		const p50s: number[] = [];
		const httpP95s: number[] = [];
		const sizes: number[] = [];
		for (let run = 0; run < o.runs; run++) {
			// A different worker each run, away from the ones the throughput scenarios write to.
			const userId = ids.user(o.users - run);
			const token = (await createSessions(sql, [userId])).get(userId)!;
			const device: Device = { userId, token, deviceId: crypto.randomUUID(), cursor: null, held: [], caseIds: [] };
			await firstSync(async (input) => ({ data: await pullChanges(handle.db, { id: userId }, input as never, new Date()), bytes: 0 }), device);
			const input = { deviceId: device.deviceId, cursor: device.cursor, heldCaseIds: device.held };
			const times: number[] = [];
			for (let i = 0; i < o.pullCalls + 20; i++) {
				const started = performance.now();
				const out = await pullChanges(handle.db, { id: userId }, input, new Date());
				const ms = performance.now() - started;
				if (out.wipe || out.hasMore || out.cases.length + out.notes.length > 0) throw new Error('incremental pull was not empty');
				if (i >= 20) times.push(ms);
			}
			p95s.push(percentile(times, 95));
			p50s.push(percentile(times, 50));
			const http: number[] = [];
			for (let i = 0; i < Math.min(o.pullCalls, 100) + 5; i++) {
				const result = await callPullFrame(agent, o.server.url, input, token);
				if (result.status !== 200) throw new Error(`POST /sync/pull answered ${result.status}`);
				if (i >= 5) http.push(result.ms);
				if (i === 5) sizes.push(result.bytes);
			}
			httpP95s.push(percentile(http, 95));
			o.log(`  incremental_pull run ${run + 1}: held ${device.held.length} cases, server p50 ${p50s.at(-1)!.toFixed(2)} ms p95 ${p95s.at(-1)!.toFixed(2)} ms, http p95 ${httpP95s.at(-1)!.toFixed(2)} ms, ${sizes.at(-1)} B`);
		}
		addFigure(o, 'incremental_pull.server_p95_ms', 'ms', p95s, { op: '<=', value: 10 });
		addFigure(o, 'incremental_pull.server_p50_ms', 'ms', p50s);
		addFigure(o, 'incremental_pull.http_p95_ms', 'ms', httpP95s);
		addFigure(o, 'incremental_pull.response_bytes', 'B', sizes, { op: '<=', value: 2048 });
	} finally {
		agent.destroy();
		await sql.end({ timeout: 1 });
		await handle.close();
	}
}

/** Sessions and a first sync for `count` devices of workers 1..count (setup of both throughput scenarios). */
export async function prepareDevices(o: ServerSyncOptions, count: number): Promise<Device[]> {
	const sql = postgres(o.databaseUrl, { max: 1, onnotice: () => {} });
	const agent = createAgent(20);
	try {
		const userIds = Array.from({ length: count }, (_, i) => ids.user(i + 1));
		const tokens = await createSessions(sql, userIds);
		const caseRows = await sql<{ user_id: string; case_id: string }[]>`select user_id, case_id from assignments where user_id in ${sql(userIds)}`;
		const devices: Device[] = userIds.map((userId) => ({
			userId,
			token: tokens.get(userId)!,
			deviceId: crypto.randomUUID(),
			cursor: null,
			held: [],
			caseIds: caseRows.filter((r) => r.user_id === userId).map((r) => r.case_id)
		}));
		for (let i = 0; i < devices.length; i += 10) {
			await Promise.all(
				devices.slice(i, i + 10).map((device) =>
					firstSync(async (input) => {
						const result = await callPullFrame(agent, o.server.url, input, device.token);
						if (result.status !== 200 || !result.data) throw new Error(`POST /sync/pull answered ${result.status}`);
						return { data: result.data, bytes: result.bytes };
					}, device)
				)
			);
		}
		return devices;
	} finally {
		agent.destroy();
		await sql.end({ timeout: 1 });
	}
}

/** Closed loop: every device sends its next request as soon as the previous one answered. */
async function closedLoop(
	devices: Device[],
	seconds: number,
	server: AppServer,
	request: (device: Device) => Promise<{ ok: boolean; ms: number; count: number }>
) {
	const latencies: number[] = [];
	let errors = 0;
	let done = 0;
	let rssMax = server.rssMiB();
	const sampler = setInterval(() => (rssMax = Math.max(rssMax, server.rssMiB())), 100);
	const cpuBefore = server.cpuMs();
	const started = performance.now();
	const deadline = started + seconds * 1000;
	await Promise.all(
		devices.map(async (device) => {
			while (performance.now() < deadline) {
				try {
					const result = await request(device);
					latencies.push(result.ms);
					if (result.ok) done += result.count;
					else errors++;
				} catch {
					errors++;
				}
			}
		})
	);
	const elapsed = (performance.now() - started) / 1000;
	clearInterval(sampler);
	const cpuPerRequest = (server.cpuMs() - cpuBefore) / latencies.length;
	return { perSecond: done / elapsed, p99: percentile(latencies, 99), p50: percentile(latencies, 50), errors, rssMax, done, cpuPerRequest };
}

/**
 * Open loop: each device sends a request every `periodMs` (phases spread evenly), so that the
 * devices together offer `devices / periodMs` requests per second whatever the answers' speed.
 * A device whose previous request has not answered sends when it does. Latency counts from the
 * time the request was due, so a server falling behind shows in it (no coordinated omission).
 */
export async function openLoop(
	devices: Device[],
	periodMs: number,
	seconds: number,
	request: (device: Device) => Promise<{ ok: boolean; ms: number; count: number }>
) {
	const latencies: number[] = [];
	let errors = 0;
	let done = 0;
	const started = performance.now();
	const deadline = started + seconds * 1000;
	await Promise.all(
		devices.map(async (device, i) => {
			let due = started + (periodMs * i) / devices.length;
			while (due < deadline) {
				const wait = due - performance.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				try {
					const result = await request(device);
					latencies.push(performance.now() - due);
					if (result.ok) done += result.count;
					else errors++;
				} catch {
					errors++;
				}
				due += periodMs;
			}
		})
	);
	const elapsed = (performance.now() - started) / 1000;
	return { perSecond: done / elapsed, p99: percentile(latencies, 99), p50: percentile(latencies, 50), errors };
}

/** The pull of a device that holds everything: an answer with anything in it is an error. */
export function unchangedPull(o: Pick<ServerSyncOptions, 'server'>, agent: ReturnType<typeof createAgent>) {
	return async (device: Device) => {
		const result = await callPullFrame(agent, o.server.url, { deviceId: device.deviceId, cursor: device.cursor, heldCaseIds: device.held }, device.token);
		const data = result.data;
		const ok = result.status === 200 && data !== null && !data.wipe && !data.hasMore && Object.values(data.packed).every((records) => records.length === 0);
		return { ok, ms: result.ms, count: 1 };
	};
}

/** Offered load of the latency reading: 100 devices × one pull every 200 ms = 500 pulls/s. */
const OFFERED_PULLS_PER_S = 500;

/**
 * pull_throughput, two readings over loopback HTTP with `devices` devices pulling with nothing
 * changed: (1) capacity, in a closed loop (every device pulls again as soon as answered), where
 * latency is only queueing (Little's law: 100 in flight / rate); (2) latency at the target's
 * rate, 500 pulls/s offered in an open loop, whose p99 is held against the 100 ms target.
 * Server RSS is sampled during both.
 */
export async function benchPullThroughput(o: ServerSyncOptions, devices: Device[]): Promise<void> {
	const agent = createAgent(devices.length);
	try {
		const rates: number[] = [];
		const saturatedP99s: number[] = [];
		const p99s: number[] = [];
		const p50s: number[] = [];
		const offeredRates: number[] = [];
		const errors: number[] = [];
		const rss: number[] = [];
		const cpu: number[] = [];
		const pull = unchangedPull(o, agent);
		await closedLoop(devices, Math.min(2, o.seconds), o.server, pull); // warm-up
		for (let run = 0; run < o.runs; run++) {
			const r = await closedLoop(devices, o.seconds, o.server, pull);
			let rssMax = o.server.rssMiB();
			const sampler = setInterval(() => (rssMax = Math.max(rssMax, o.server.rssMiB())), 100);
			const paced = await openLoop(devices, (1000 * devices.length) / OFFERED_PULLS_PER_S, o.seconds, pull);
			clearInterval(sampler);
			rates.push(r.perSecond);
			saturatedP99s.push(r.p99);
			p99s.push(paced.p99);
			p50s.push(paced.p50);
			offeredRates.push(paced.perSecond);
			errors.push(r.errors + paced.errors);
			rss.push(Math.max(r.rssMax, rssMax));
			cpu.push(r.cpuPerRequest);
			o.log(
				`  pull_throughput run ${run + 1}: closed loop ${r.perSecond.toFixed(0)} pulls/s (p99 ${r.p99.toFixed(1)} ms); ` +
					`open loop at ${OFFERED_PULLS_PER_S}/s offered: ${paced.perSecond.toFixed(0)} pulls/s served, p50 ${paced.p50.toFixed(1)} ms, p99 ${paced.p99.toFixed(1)} ms; ` +
					`${r.errors + paced.errors} errors, server RSS max ${rss.at(-1)!.toFixed(0)} MiB, server CPU ${r.cpuPerRequest.toFixed(2)} ms/pull, load ${loadavg()}`
			);
		}
		addFigure(o, 'pull_throughput.pulls_per_s', 'pulls/s', rates, { op: '>=', value: 500 });
		addFigure(o, 'pull_throughput.p99_ms', 'ms', p99s, { op: '<=', value: 100 });
		addFigure(o, 'pull_throughput.p50_ms', 'ms', p50s);
		addFigure(o, 'pull_throughput.served_at_500_per_s', 'pulls/s', offeredRates);
		addFigure(o, 'pull_throughput.saturated_p99_ms', 'ms', saturatedP99s);
		addFigure(o, 'pull_throughput.errors', 'count', errors, { op: '<=', value: 0 });
		addFigure(o, 'pull_throughput.server_cpu_ms_per_pull', 'ms', cpu);
		addFigure(o, 'server_rss.max_mib', 'MiB', rss, { op: '<=', value: 300 });
	} finally {
		agent.destroy();
	}
}

/**
 * push_throughput: each device pushes one new note per request, in a closed loop. Afterwards the
 * database must hold each pushed note exactly once (0 duplicates) and every result be `applied`.
 * The pushed notes are deleted at the end, so that the dataset stays as generated.
 */
export async function benchPushThroughput(o: ServerSyncOptions, devices: Device[]): Promise<void> {
	const agent = createAgent(devices.length);
	const sql = postgres(o.databaseUrl, { max: 1, onnotice: () => {} });
	const sent: string[] = [];
	try {
		const rates: number[] = [];
		const p99s: number[] = [];
		const errors: number[] = [];
		const duplicates: number[] = [];
		const cpu: number[] = [];
		const push = async (device: Device) => {
			const noteId = crypto.randomUUID();
			const mutation = {
				id: crypto.randomUUID(),
				type: 'note.create',
				baseVersion: null,
				payload: {
					noteId,
					caseId: device.caseIds[sent.length % device.caseIds.length],
					kind: 'observation',
					body: 'Observation de test de charge : visite calme, devoirs faits, goûter partagé avec la fratrie.',
					sensitiveCategory: null,
					createdOnDeviceAt: new Date().toISOString()
				}
			};
			sent.push(noteId);
			const result = await callMutation(agent, o.server.url, 'sync.push', { deviceId: device.deviceId, mutations: [mutation] }, device.token);
			const data = result.data as { wipe: boolean; results?: { status: string }[] } | null;
			const ok = result.status === 200 && data !== null && !data.wipe && data.results?.[0]?.status === 'applied';
			return { ok, ms: result.ms, count: 1 };
		};
		await closedLoop(devices, Math.min(2, o.seconds), o.server, push); // warm-up
		for (let run = 0; run < o.runs; run++) {
			const before = sent.length;
			const since = new Date();
			const r = await closedLoop(devices, o.seconds, o.server, push);
			const runIds = sent.slice(before);
			const [{ stored, distinct, extra }] = await sql<{ stored: number; distinct: number; extra: number }[]>`
				select count(*)::int as stored, count(distinct id)::int as distinct,
					(select count(*)::int from notes where received_at >= ${since} and author_id in ${sql(devices.map((d) => d.userId))} and not (id = any(${runIds}::uuid[]))) as extra
				from notes where id = any(${runIds}::uuid[])`;
			const dup = stored - distinct + extra;
			rates.push(r.perSecond);
			p99s.push(r.p99);
			errors.push(r.errors + (runIds.length - stored));
			duplicates.push(dup);
			cpu.push(r.cpuPerRequest);
			o.log(`  push_throughput run ${run + 1}: ${r.perSecond.toFixed(0)} mutations/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors, ${runIds.length} sent, ${stored} stored, ${dup} duplicates, server CPU ${r.cpuPerRequest.toFixed(2)} ms/push, load ${loadavg()}`);
		}
		addFigure(o, 'push_throughput.mutations_per_s', 'mutations/s', rates, { op: '>=', value: 300 });
		addFigure(o, 'push_throughput.p99_ms', 'ms', p99s);
		addFigure(o, 'push_throughput.errors', 'count', errors, { op: '<=', value: 0 });
		addFigure(o, 'push_throughput.duplicates', 'count', duplicates, { op: '<=', value: 0 });
		addFigure(o, 'push_throughput.server_cpu_ms_per_push', 'ms', cpu);
	} finally {
		agent.destroy();
		await sql`delete from notes where id = any(${sent}::uuid[])`.catch(() => {});
		await sql.end({ timeout: 1 });
	}
}
