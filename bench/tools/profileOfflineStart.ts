// Developer tool, not part of `npm run bench`: the offline_start scenario once, with a CPU
// profile of the page from navigation to the enabled unlock button (CDP, sampling every 100 µs),
// printing where the main thread's time goes (self time by function, and by script).
//   npx tsx bench/tools/profileOfflineStart.ts [rate, default 4]
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { benchDatabaseUrl, benchPortBase } from '../config';
import { appDir, startApp } from '../lib/appServer';
import { launchOffline, signedInProfile } from '../scenarios/browser';

const rate = Number(process.argv[2] ?? 4);
// Built with source maps (`npx vite build --sourcemap true`, copied to bench/.cache/app), the
// self time is also given by original module (package or src/ file).
const maps = new Map<string, TraceMap | null>();
function originalModule(url: string, line: number, column: number): string | null {
	const path = url.replace(/^https?:\/\/[^/]+/, '');
	if (!path.startsWith('/_app/')) return null;
	if (!maps.has(path)) {
		const file = `${appDir}/client${path}.map`;
		maps.set(path, existsSync(file) ? new TraceMap(readFileSync(file, 'utf8')) : null);
	}
	const map = maps.get(path);
	if (!map) return null;
	const source = originalPositionFor(map, { line: line + 1, column }).source;
	if (!source) return '(unmapped)';
	const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
	return nm ? nm[1] : source.replace(/^(\.\.\/)+/, '');
}
const server = await startApp(benchDatabaseUrl, benchPortBase + 10);
const profile = await signedInProfile(benchDatabaseUrl, server.url, 'carnet-offline-profile-').catch(async (error) => {
	await server.stop();
	throw error;
});
try {
	for (let run = 0; run < 2; run++) {
		const { context, page, cdp } = await launchOffline(profile, server.url, rate);
		await cdp.send('Profiler.enable');
		await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
		await cdp.send('Profiler.start');
		const started = Date.now();
		await page.goto('/app');
		await page.getByRole('button', { name: 'Déverrouiller' }).waitFor({ timeout: 60_000 });
		const ms = Date.now() - started;
		const { profile: p } = (await cdp.send('Profiler.stop')) as {
			profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[]; samples: number[]; timeDeltas: number[] };
		};
		if (run === 1) {
			const byId = new Map(p.nodes.map((n) => [n.id, n]));
			const self = new Map<string, number>();
			const byScript = new Map<string, number>();
			// Native functions (DOM, WebCrypto…) have no script: their time is attributed to the caller too.
			const parentOf = new Map<number, number>();
			for (const n of p.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
			const nativeCallers = new Map<string, number>();
			const byModule = new Map<string, number>();
			let busy = 0;
			p.samples.forEach((id, i) => {
				const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
				const f = byId.get(id)!.callFrame;
				if (f.functionName === '(idle)') return;
				busy += dt;
				const script = f.url.replace(/.*\//, '') || f.functionName;
				self.set(`${f.functionName || '(anon)'} ${script}:${f.lineNumber}`, (self.get(`${f.functionName || '(anon)'} ${script}:${f.lineNumber}`) ?? 0) + dt);
				byScript.set(script, (byScript.get(script) ?? 0) + dt);
				const module = originalModule(f.url, f.lineNumber, f.columnNumber);
				if (module) byModule.set(module, (byModule.get(module) ?? 0) + dt);
				const parent = byId.get(parentOf.get(id) ?? -1)?.callFrame;
				if (!f.url && !f.functionName.startsWith('(') && parent) {
					const key = `${f.functionName} ← ${parent.functionName || '(anon)'} ${parent.url.replace(/.*\//, '')}:${parent.lineNumber}`;
					nativeCallers.set(key, (nativeCallers.get(key) ?? 0) + dt);
				}
			});
			console.log(`x${rate} offline start (profiled): ${ms} ms to the unlock button, main thread busy ${busy.toFixed(0)} ms`);
			for (const [k, v] of [...byScript].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${v.toFixed(0).padStart(5)} ms  ${k}`);
			console.log('  -- self time');
			for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${v.toFixed(0).padStart(5)} ms  ${k}`);
			if (byModule.size > 0) {
				console.log('  -- self time by original module (source maps)');
				for (const [k, v] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${v.toFixed(0).padStart(5)} ms  ${k}`);
			}
			console.log('  -- native functions by caller');
			for (const [k, v] of [...nativeCallers].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${v.toFixed(0).padStart(5)} ms  ${k}`);
		}
		await context.close();
	}
} finally {
	rmSync(profile, { recursive: true, force: true });
	await server.stop();
}
