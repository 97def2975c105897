// Developer tool, not part of `npm run bench`: the offline_start scenario with a Chromium trace
// (devtools timeline and V8 categories), printing where the page's main thread spends the time
// a CPU profile shows as "(program)": script compilation, HTML parsing, style, layout...
//   npx tsx bench/tools/traceOfflineStart.ts [rate, default 4] [launches, default 2; the last is reported]
import { rmSync } from 'node:fs';
import { benchDatabaseUrl, benchPortBase } from '../config';
import { startApp } from '../lib/appServer';
import { formatSelfTimes, rendererMainThreads, selfTimes, traced } from '../lib/trace';
import { launchOffline, signedInProfile } from '../scenarios/browser';

const rate = Number(process.argv[2] ?? 4);
const launches = Number(process.argv[3] ?? 2);
const server = await startApp(benchDatabaseUrl, benchPortBase + 11);
const profile = await signedInProfile(benchDatabaseUrl, server.url, 'carnet-offline-trace-').catch(async (error) => {
	await server.stop();
	throw error;
});
try {
	for (let run = 0; run < launches; run++) {
		const { context, page, cdp } = await launchOffline(profile, server.url, rate);
		const { result: ms, events } = await traced(cdp, async () => {
			const started = Date.now();
			await page.goto('/app');
			await page.getByRole('button', { name: 'Déverrouiller' }).waitFor({ timeout: 60_000 });
			return Date.now() - started;
		});
		if (run < launches - 1) {
			console.log(`  launch ${run + 1}: ${ms} ms`);
			await context.close();
			continue;
		}
		// The renderer's main thread: the CrRendererMain thread of the process that parsed the page.
		const main = rendererMainThreads(events).find((t) => events.some((x) => x.pid === t.pid && x.name === 'ParseHTML'));
		if (!main) throw new Error('no renderer main thread in the trace');
		const self = selfTimes(events, main).byName;
		console.log(`x${rate} offline start (traced): ${ms} ms to the unlock button; main thread events by self time:`);
		console.log(formatSelfTimes(self));
		// JavaScript parse and compile on the main thread (self times, so nothing is counted twice).
		const compile = [...self].filter(([name]) => /^V8\.(Parse|PreParse|Compile|CollectSourcePositions)/.test(name)).reduce((sum, [, v]) => sum + v, 0);
		console.log(`  -- JavaScript parse and compile on the main thread: ${compile.toFixed(0)} ms`);
		// Whether V8 used a code cache for each of the app's scripts or compiled it from source.
		const origin = new URL(server.url).origin;
		const scriptCompiles = events.filter((e) => e.pid === main.pid && (e.name === 'v8.compile' || e.name === 'v8.compileModule'));
		const ours = scriptCompiles.filter((e) => String(e.args?.data?.url ?? '').startsWith(origin));
		const cached = ours.filter((e) => Number((e.args?.data as { consumedCacheSize?: number } | undefined)?.consumedCacheSize ?? 0) > 0);
		console.log(`  -- the app's scripts: ${ours.length} compiled, ${cached.length} from a code cache`);
		for (const e of ours) {
			const data = (e.args?.data ?? {}) as { url?: string; consumedCacheSize?: number; cacheRejected?: boolean; streamed?: boolean };
			const cache = data.consumedCacheSize ? `code cache ${data.consumedCacheSize} B` : data.cacheRejected ? 'code cache rejected' : 'no code cache';
			console.log(`  ${e.name === 'v8.compileModule' ? 'module' : 'script'} ${String(data.url).replace(origin, '')}: ${cache}${data.streamed ? ', streamed' : ''}`);
		}
		await context.close();
	}
} finally {
	rmSync(profile, { recursive: true, force: true });
	await server.stop();
}
