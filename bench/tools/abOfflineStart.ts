// Developer tool, not part of `npm run bench`: offline start of two builds of the app, launch for
// launch alternated (paired, so that the host's drift hits both alike), to the app's own unlock
// screen (offline_start_app: the app's code path; an early form of the new build does not count). Each build has its own server, origin and browser profile (signed in once).
//   npx tsx bench/tools/abOfflineStart.ts <old build dir, e.g. /tmp/old/build> [pairs, default 8] [rate, default 4] [--early]
// --early: to the first usable unlock form instead (offline_start: the early form, if any).
// The new build is bench/.cache/app (npm run bench builds it; or copy build/ there).
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { benchDatabaseUrl, benchPortBase } from '../config';
import { appDir, startApp, type AppServer } from '../lib/appServer';
import { measureOfflineStart, signedInProfile } from '../scenarios/browser';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const early = process.argv.includes('--early');
const oldEntry = resolve(positional[0] ?? '/tmp/old/build', 'index.js');
const pairs = Number(positional[1] ?? 8);
const rate = Number(positional[2] ?? 4);
const log = (line: string) => console.log(line);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function start(entry: string, port: number): Promise<AppServer> {
	process.env.BENCH_SERVER_ENTRY = entry;
	try {
		return await startApp(benchDatabaseUrl, port);
	} finally {
		delete process.env.BENCH_SERVER_ENTRY;
	}
}

const builds = [
	{ name: 'old', server: await start(oldEntry, benchPortBase + 12), profile: '', ms: [] as number[] },
	{ name: 'new', server: await start(resolve(appDir, 'index.js'), benchPortBase + 13), profile: '', ms: [] as number[] }
];
try {
	for (const build of builds) {
		build.profile = await signedInProfile(benchDatabaseUrl, build.server.url, `carnet-ab-${build.name}-`);
		await measureOfflineStart(build.profile, build.server.url, rate, log); // warms the profile's disk caches
	}
	for (let i = 0; i < pairs; i++) {
		for (const build of i % 2 ? [...builds].reverse() : builds) {
			const measured = await measureOfflineStart(build.profile, build.server.url, rate, log);
			build.ms.push(early ? measured.ms : measured.appMs);
		}
	}
	const [old, now] = builds;
	const ratios = now.ms.map((ms, i) => ms / old.ms[i]);
	for (const build of builds) log(`x${rate} ${build.name}: median ${median(build.ms).toFixed(0)} ms (${build.ms.map((v) => v.toFixed(0)).join(' / ')})`);
	log(`x${rate} paired new/old: median ${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(2)).join(' / ')})`);
} finally {
	for (const build of builds) {
		await build.server.stop();
		if (build.profile) rmSync(build.profile, { recursive: true, force: true });
	}
}
