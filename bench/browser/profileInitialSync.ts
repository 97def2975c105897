// Developer tool, not part of `npm run bench`: the initial_sync scenario alone, alternated with
// the plain put, then fetch-only; optionally the same with the client code of another checkout
// in a second page of the same browser, run for run (A/B under the same machine load), and a
// CPU profile of one initial sync and one plain put (Chromium's sampling profiler over CDP), or
// a trace of them (--trace: the main thread by trace event, what the profile calls "(program)").
//
//   npx tsx bench/browser/profileInitialSync.ts [runs] [rates, e.g. 1,4] [--ab=DIR] [--profile] [--trace]
//
// DIR: a checkout of older code, e.g. `git worktree add /tmp/carnet-old HEAD~1` (its own
// node_modules are not needed). The server is the built app (bench/.cache/app, or
// BENCH_SERVER_ENTRY), on BENCH_PORT + 8.
import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright';
import { chromiumArgs, chromiumPath } from '../../tests/support/chromium';
import { benchDatabaseUrl, benchPortBase } from '../config';
import { ids } from '../dataset/generateDataset';
import { startApp } from '../lib/appServer';
import { createSessions } from '../lib/sessions';
import { busyMs, formatSelfTimes, rendererMainThreads, selfTimes, traced } from '../lib/trace';
import { serveHarness } from './bundleHarness';

const args = process.argv.slice(2);
const positional = args.filter((a) => !a.startsWith('--'));
const runs = Number(positional[0] ?? 3);
const rates = (positional[1] ?? '1,4').split(',').map(Number);
const profile = args.includes('--profile');
const trace = args.includes('--trace');
const abRoot = args.find((a) => a.startsWith('--ab='))?.slice('--ab='.length);
/** CPU time (user + system) used so far by every process whose command name matches, in ms. */
function processCpuMs(comm: RegExp): number {
	let ticks = 0;
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			if (!comm.test(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) continue;
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// gone meanwhile
		}
	}
	return ticks * 10;
}

/** CPU time (ms) of every thread of the matching processes, by process type and thread name. */
function threadCpuMs(comm: RegExp): Map<string, number> {
	const out = new Map<string, number>();
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			if (!comm.test(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) continue;
			const type = /--type=([a-z-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
			for (const tid of readdirSync(`/proc/${pid}/task`)) {
				const t = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
				const name = t.slice(t.indexOf('(') + 1, t.lastIndexOf(')')).replace(/\d+$/, '');
				const fields = t.slice(t.lastIndexOf(')') + 2).split(' ');
				const key = `${type}/${name}`;
				out.set(key, (out.get(key) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10);
			}
		} catch {
			// gone meanwhile
		}
	}
	return out;
}
const threadLog = process.argv.includes('--threads');
const timeline = process.argv.includes('--timeline');

/**
 * In the page (--timeline): when each tRPC response arrives and is parsed, and when each
 * IndexedDB read-write transaction is created and completes, in ms since `timelineStart()`.
 */
// Plain JavaScript in a string: tsx would wrap named functions in a helper the page lacks.
const recordTimeline = `(() => {
	const w = globalThis;
	w.timelineEvents = [];
	w.timelineT0 = 0;
	w.timelineStart = () => { w.timelineEvents = []; w.timelineT0 = performance.now(); };
	const at = () => (performance.now() - w.timelineT0).toFixed(0);
	const originalFetch = globalThis.fetch;
	globalThis.fetch = async (...args) => {
		const sent = at();
		const response = await originalFetch(...args);
		const headers = at();
		const json = response.json.bind(response);
		response.json = async () => {
			const value = await json();
			w.timelineEvents.push('fetch ' + String(args[0]).replace(/.*\\/trpc\\//, '').replace(/\\?.*/, '') + ' sent ' + sent + ' headers ' + headers + ' parsed ' + at());
			return value;
		};
		return response;
	};
	const originalTransaction = IDBDatabase.prototype.transaction;
	IDBDatabase.prototype.transaction = function (...args) {
		const tx = originalTransaction.apply(this, args);
		const created = at();
		if (args[1] === 'readwrite') tx.addEventListener('complete', () => w.timelineEvents.push('tx ' + [...tx.objectStoreNames].join(',') + ' created ' + created + ' complete ' + at()));
		return tx;
	};
})();`
const threadDelta = (a: Map<string, number>, b: Map<string, number>) =>
	[...b].map(([k, v]) => [k, v - (a.get(k) ?? 0)] as const).filter(([, v]) => v > 0).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`).join(', ');

/** CPU time used by the whole machine so far (all cores, user + system), in ms. */
function machineCpuMs(): number {
	const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
	// user nice system idle iowait irq softirq steal: everything but idle and iowait.
	const busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
	return (busy * 1000) / 100;
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const list = (v: number[]) => v.map((x) => x.toFixed(0)).join('/');

type Bench = Record<string, (...args: unknown[]) => Promise<{ ms: number } & Record<string, number>>>;
type Harness = { name: string; page: Page; cdp: CDPSession; call: (name: string, ...args: unknown[]) => Promise<{ ms: number } & Record<string, number>> };

const server = await startApp(benchDatabaseUrl, benchPortBase + 8);
const sql = postgres(benchDatabaseUrl, { max: 1, onnotice: () => {} });
const token = (await createSessions(sql, [ids.syncUser])).get(ids.syncUser)!;
await sql.end({ timeout: 1 });
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });

async function openHarness(context: BrowserContext, name: string, root: string | undefined): Promise<Harness> {
	await serveHarness(context, server.url, name, { minify: !profile, root });
	const page = await context.newPage();
	page.on('pageerror', (e) => console.log(`${name}: page error`, e.message));
	const cdp = await context.newCDPSession(page);
	if (timeline) await page.addInitScript({ content: recordTimeline });
	await page.goto(`${server.url}/__${name}/index.html`);
	await page.waitForFunction(() => document.title === 'bench-ready');
	const call = (fn: string, ...a: unknown[]) =>
		page.evaluate(([n, x]) => (globalThis as unknown as { bench: Bench }).bench[n as string](...(x as unknown[])), [fn, a] as const);
	await call('fetchRecords');
	return { name, page, cdp, call };
}

/** A profile node's function, as `name file:line`. */
const frameKey = (f: { functionName: string; url: string; lineNumber: number }) => `${f.functionName || '(anon)'} ${f.url.replace(/.*\//, '')}:${f.lineNumber}`;

async function profiled(h: Harness, fn: string, rate: number, ...args: unknown[]) {
	await h.cdp.send('Profiler.enable');
	await h.cdp.send('Profiler.setSamplingInterval', { interval: 100 });
	await h.cdp.send('Profiler.start');
	const { ms } = await h.call(fn, ...args);
	const { profile: p } = (await h.cdp.send('Profiler.stop')) as {
		profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] };
	};
	const byId = new Map(p.nodes.map((n) => [n.id, n]));
	const self = new Map<string, number>();
	let busy = 0;
	p.samples.forEach((id, i) => {
		const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
		const f = byId.get(id)!.callFrame;
		const key = frameKey(f);
		self.set(key, (self.get(key) ?? 0) + dt);
		if (f.functionName !== '(idle)') busy += dt;
	});
	console.log(`  ${h.name} ${fn} x${rate}: ${ms.toFixed(0)} ms (profiled), main thread busy ${busy.toFixed(0)} ms; self time:`);
	for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`    ${v.toFixed(0).padStart(5)} ms  ${k}`);
	// Inclusive time (a function and what it calls), each function counted once per sample.
	const parent = new Map<number, number>();
	for (const n of p.nodes as { id: number; children?: number[] }[]) for (const c of n.children ?? []) parent.set(c, n.id);
	const inclusive = new Map<string, number>();
	p.samples.forEach((id, i) => {
		const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
		if (byId.get(id)!.callFrame.functionName === '(idle)') return;
		const seen = new Set<string>();
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const key = frameKey(byId.get(at)!.callFrame);
			if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
			seen.add(key);
		}
	});
	console.log('    inclusive:');
	for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`    ${v.toFixed(0).padStart(5)} ms  ${k}`);
}

/** One call under a Chromium trace: the page's main thread by trace event (what "(program)" is made of). */
async function tracedCall(h: Harness, fn: string, rate: number, ...args: unknown[]) {
	const { result, events } = await traced(h.cdp, () => h.call(fn, ...args));
	// The harness page's main thread: the renderer main thread that was busiest during the call.
	const [main] = rendererMainThreads(events)
		.map((t) => ({ t, busy: busyMs(events, t) }))
		.sort((a, b) => b.busy - a.busy);
	const { byName, total } = selfTimes(events, main.t);
	console.log(`  ${h.name} ${fn} x${rate}: ${result.ms.toFixed(0)} ms (traced), main thread busy ${total.toFixed(0)} ms; trace events by self time:`);
	console.log(formatSelfTimes(byName, 20));
}

try {
	const context = await browser.newContext();
	await context.addCookies([{ name: 'carnet_session', value: token, domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax' }]);
	const harnesses = [await openHarness(context, 'bench', undefined)];
	if (abRoot) harnesses.push(await openHarness(context, 'benchold', abRoot));
	// Both pages do the same work outside the timed runs, so that neither carries more state
	// (a page holding the packed pages put 1.5× slower at 4× than the other, in the same run).
	for (const h of harnesses) console.log(`verify (${h.name})`, JSON.stringify(await h.call('verifyInitialSync')));
	for (const rate of rates) {
		const results = new Map(harnesses.map((h) => [h.name, { sync: [] as number[], plain: [] as number[], fetch: [] as number[], cpu: [] as number[], store: [] as number[], machine: [] as number[], pg: [] as number[], browser: [] as number[] }]));
		for (const h of harnesses) {
			await h.cdp.send('Emulation.setCPUThrottlingRate', { rate });
			await h.call('initialSync'); // warm-up
			await h.call('plainPut');
		}
		for (let i = 0; i < runs; i++) {
			for (const h of i % 2 ? [...harnesses].reverse() : harnesses) {
				const r = results.get(h.name)!;
				const cpu0 = server.cpuMs();
				const machine0 = machineCpuMs();
				const pg0 = processCpuMs(/^postgres/);
				const browser0 = processCpuMs(/^(chromium|chrome)/);
				const threads0 = threadLog ? threadCpuMs(/^(chromium|chrome)/) : null;
				r.sync.push((await h.call('initialSync')).ms);
				if (threads0) console.log(`  sync threads: ${threadDelta(threads0, threadCpuMs(/^(chromium|chrome)/))}`);
				r.cpu.push(server.cpuMs() - cpu0);
				r.machine.push(machineCpuMs() - machine0);
				r.pg.push(processCpuMs(/^postgres/) - pg0);
				r.browser.push(processCpuMs(/^(chromium|chrome)/) - browser0);
				const plain0 = threadLog ? threadCpuMs(/^(chromium|chrome)/) : null;
				r.plain.push((await h.call('plainPut')).ms);
				if (plain0) console.log(`  plain threads: ${threadDelta(plain0, threadCpuMs(/^(chromium|chrome)/))}`);
			}
		}
		/** Runs one harness call, with the CPU of each browser thread (and the server's) when --threads. */
		const withThreads = async (label: string, fn: () => Promise<{ ms: number }>) => {
			const threads0 = threadLog ? threadCpuMs(/^(chromium|chrome)/) : null;
			const server0 = server.cpuMs();
			const result = await fn();
			if (threads0) console.log(`  ${label} threads: server ${(server.cpuMs() - server0).toFixed(0)}, ${threadDelta(threads0, threadCpuMs(/^(chromium|chrome)/))}`);
			return result;
		};
		for (let i = 0; i < runs; i++) for (const h of harnesses) results.get(h.name)!.fetch.push((await withThreads('fetch-only', () => h.call('fetchRecords', true))).ms);
		if (harnesses[0].name === 'bench') for (let i = 0; i < runs; i++) results.get('bench')!.store.push((await withThreads('store-only', () => harnesses[0].call('storeOnly'))).ms);
		for (const [name, r] of results) {
			const ratios = r.sync.map((s, i) => s / r.plain[i]);
			console.log(
				`x${rate} ${name.padEnd(8)} median sync ${median(r.sync).toFixed(0)} plain ${median(r.plain).toFixed(0)} ratio ${median(ratios).toFixed(2)} fetch-only ${median(r.fetch).toFixed(0)} server CPU ${median(r.cpu).toFixed(0)} machine CPU ${median(r.machine).toFixed(0)} (PostgreSQL ${median(r.pg).toFixed(0)}, browser ${median(r.browser).toFixed(0)})${r.store.length ? ` store-only ${median(r.store).toFixed(0)} (${(median(r.store) / median(r.plain)).toFixed(2)}× plain)` : ''} | sync ${list(r.sync)} plain ${list(r.plain)} ratios ${ratios.map((x) => x.toFixed(2)).join('/')}`
			);
		}
		if (harnesses.length === 2) {
			// Paired: the two runs of a pair are next to each other in time, so load drift hits both alike.
			const [a, b] = harnesses.map((h) => results.get(h.name)!);
			const paired = a.sync.map((s, i) => s / b.sync[i]);
			console.log(`x${rate} paired ${harnesses[0].name}/${harnesses[1].name} sync time: median ${median(paired).toFixed(2)} (${paired.map((x) => x.toFixed(2)).join('/')})`);
		}
		// fetchRecords(true): fetch-only, the pages as the sync engine receives them (binary frames).
		const profiledCalls: [string, ...unknown[]][] = [['initialSync'], ['plainPut'], ['fetchRecords', true]];
		if (profile) for (const h of harnesses) for (const [fn, ...fnArgs] of profiledCalls) await profiled(h, fn, rate, ...fnArgs);
		if (trace) for (const h of harnesses) for (const [fn, ...fnArgs] of profiledCalls) await tracedCall(h, fn, rate, ...fnArgs);
		if (timeline)
			for (const h of harnesses)
				for (let i = 0; i < 2; i++) {
					await h.page.evaluate(() => (globalThis as unknown as { timelineStart: () => void }).timelineStart());
					const { ms } = await h.call('initialSync');
					const events = await h.page.evaluate(() => (globalThis as unknown as { timelineEvents: string[] }).timelineEvents);
					console.log(`  ${h.name} initialSync x${rate} ${ms.toFixed(0)} ms, timeline:\n    ${events.join('\n    ')}`);
				}
		for (const h of harnesses) await h.cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
	}
	await harnesses[0].call('cleanup');
} finally {
	await browser.close();
	await server.stop();
}
