// Before/after comparison in one run, on the same machine state: `npx tsx bench/abCompare.ts <dir>`
// where <dir> holds an older checkout (e.g. `git archive <commit> | tar -x -C <dir>`, with
// node_modules linked) whose app is built in <dir>/build. Alternates old and new for:
// server CPU per pull and per push (100 devices), and the first sync in the harness page (old
// and new src/lib bundled side by side, against the same current server).
import { build } from 'esbuild';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumPath } from '../tests/support/chromium';
import { benchDatabaseUrl, benchPortBase } from './config';
import { ids } from './dataset/generateDataset';
import { appDir, startApp } from './lib/appServer';
import { Figures } from './lib/figures';
import { createSessions } from './lib/sessions';
import { benchPullThroughput, benchPushThroughput, prepareDevices } from './scenarios/serverSync';

const oldDir = resolve(process.argv[2] ?? '/tmp/carnet-before');
const log = (line: string) => console.log(line);
const rounds = Number(process.env.AB_ROUNDS ?? 2);

async function serverRound(label: string, entry: string, port: number, figures: Figures) {
	process.env.BENCH_SERVER_ENTRY = entry;
	const server = await startApp(benchDatabaseUrl, port);
	try {
		const o = { databaseUrl: benchDatabaseUrl, server, figures, log: (l: string) => log(`${label}${l}`), users: 2000, pullCalls: 0, runs: 1, devices: 100, seconds: 8 };
		const devices = await prepareDevices(o, 100);
		await benchPullThroughput(o, devices);
		await benchPushThroughput(o, devices);
	} finally {
		await server.stop();
		delete process.env.BENCH_SERVER_ENTRY;
	}
}

const bundle = (root: string) =>
	build({
		entryPoints: ['bench/browser/harness.ts'],
		bundle: true,
		format: 'esm',
		minify: true,
		write: false,
		alias: { $lib: resolve(root, 'src/lib'), $server: resolve(root, 'server') },
		logLevel: 'error'
	}).then((r) => r.outputFiles[0].text);

async function harnessRounds() {
	const server = await startApp(benchDatabaseUrl, benchPortBase + 5);
	const sql = postgres(benchDatabaseUrl, { max: 1, onnotice: () => {} });
	const token = (await createSessions(sql, [ids.syncUser])).get(ids.syncUser)!;
	await sql.end();
	const bundles = { old: await bundle(oldDir), new: await bundle('.') };
	const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
	try {
		const context = await browser.newContext();
		await context.addCookies([{ name: 'carnet_session', value: token, domain: 'localhost', path: '/' }]);
		await context.route(`${server.url}/__bench/**`, (route) => {
			const path = new URL(route.request().url()).pathname;
			if (path.endsWith('.js')) return route.fulfill({ contentType: 'text/javascript', body: bundles[path.includes('old') ? 'old' : 'new'] });
			const which = path.includes('old') ? 'old' : 'new';
			return route.fulfill({ contentType: 'text/html', body: `<!doctype html><script type="module" src="/__bench/${which}.js"></script>` });
		});
		for (const rate of [1, 4]) {
			const times: Record<string, number[]> = { old: [], new: [] };
			const pages = {
				old: await context.newPage(),
				new: await context.newPage()
			};
			for (const [which, page] of Object.entries(pages)) {
				await page.goto(`${server.url}/__bench/${which}.html`);
				await page.waitForFunction(() => document.title === 'bench-ready');
				const cdp = await context.newCDPSession(page);
				await cdp.send('Emulation.setCPUThrottlingRate', { rate });
				await page.evaluate(() => (globalThis as unknown as { bench: { initialSync(): Promise<unknown> } }).bench.initialSync());
			}
			for (let i = 0; i < 4; i++) {
				for (const which of ['old', 'new'] as const) {
					const r = await pages[which].evaluate(() => (globalThis as unknown as { bench: { initialSync(): Promise<{ ms: number }> } }).bench.initialSync());
					times[which].push(r.ms);
				}
			}
			const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
			log(`x${rate} initial_sync old ${times.old.map((v) => v.toFixed(0)).join(' / ')} (median ${med(times.old).toFixed(0)}) — new ${times.new.map((v) => v.toFixed(0)).join(' / ')} (median ${med(times.new).toFixed(0)}) ms`);
			await pages.old.close();
			await pages.new.close();
		}
	} finally {
		await browser.close();
		await server.stop();
	}
}

if (!process.argv.includes('--browser-only')) {
	for (let i = 0; i < rounds; i++) {
		await serverRound('[old] ', `${oldDir}/build/index.js`, benchPortBase + 10, new Figures());
		await serverRound('[new] ', `${appDir}/index.js`, benchPortBase + 11, new Figures());
	}
}
if (!process.argv.includes('--server-only')) await harnessRounds();
