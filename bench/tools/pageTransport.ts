// Developer tool, not part of `npm run bench`: what receiving a first sync's pages costs the page,
// as sync.pull sends them today (tRPC JSON, each record's UTF-8 JSON in base64) against the same
// records framed as POST /sync/pull frames them (encodePullFrame), read with arrayBuffer() and the
// app's decodePullFrame. The real pages of the bench's sync user are fetched once from the
// built app, then served from a plain HTTP server on loopback so that only the transport differs;
// the page times fetching every page and turning each record into its bytes (what
// sealPullPage encrypts), alternating the two forms, at each CPU throttling rate.
//   npx tsx bench/tools/pageTransport.ts [rounds, default 6] [rates, default 1,4]
import http from 'node:http';
import { build } from 'esbuild';
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumPath } from '../../tests/support/chromium';
import { benchDatabaseUrl, benchPortBase } from '../config';
import { ids } from '../dataset/generateDataset';
import { startApp } from '../lib/appServer';
import { createSessions } from '../lib/sessions';
import { callMutation, createAgent } from '../lib/trpcHttp';
import { firstSync, type Device } from '../scenarios/serverSync';
import type { PackedRecord, PullOutput } from '../../src/lib/shared/sync';
import { encodePullFrame, type FramedRecords } from '../../src/lib/shared/pullFrame';

const rounds = Number(process.argv[2] ?? 6);
const rates = (process.argv[3] ?? '1,4').split(',').map(Number);
const TABLES = ['cases', 'persons', 'notes', 'visits'] as const;

// 1. The real pages of a first sync, packed, as the device asks for them.
const server = await startApp(benchDatabaseUrl, benchPortBase + 13);
const pages: PullOutput[] = [];
try {
	const sql = postgres(benchDatabaseUrl, { max: 1, onnotice: () => {} });
	const token = (await createSessions(sql, [ids.syncUser])).get(ids.syncUser)!;
	await sql.end();
	const agent = createAgent(1);
	const device: Device = { userId: ids.syncUser, token, deviceId: randomUUID(), cursor: null, held: [], caseIds: [] };
	await firstSync(async (input) => {
		const r = await callMutation(agent, server.url, 'sync.pull', { ...input, packed: true }, token);
		pages.push(r.data as PullOutput);
		return { data: r.data as PullOutput, bytes: r.bytes };
	}, device);
	agent.destroy();
} finally {
	await server.stop();
}

// 2. Each page in both forms: as /trpc answers it, and as POST /sync/pull frames it.
const asJson = pages.map((page) => JSON.stringify({ result: { data: page } }));
const asBinary = pages.map((page) => {
	if (page.wipe || !page.packed) throw new Error('expected packed pages');
	const packed = page.packed;
	const framed = Object.fromEntries(TABLES.map((t) => [t, packed[t].map((r: PackedRecord) => ({ ...r, json: new Uint8Array(Buffer.from(r.json, 'base64')) }))])) as FramedRecords;
	return Buffer.from(encodePullFrame({ ...page, packed: framed }));
});
// The app's own frame decoder, bundled for the page.
const decoder = (
	await build({
		stdin: { contents: "import { decodePullFrame } from './src/lib/shared/pullFrame'; globalThis.decodePullFrame = decodePullFrame;", resolveDir: '.', loader: 'ts' },
		bundle: true,
		format: 'iife',
		write: false,
		logLevel: 'error'
	})
).outputFiles[0].text;
const records = pages.reduce((n, p) => n + (p.wipe || !p.packed ? 0 : TABLES.reduce((m, t) => m + p.packed![t].length, 0)), 0);
const kib = (v: (string | Buffer)[]) => (v.reduce((n, b) => n + Buffer.byteLength(b), 0) / 1024).toFixed(0);
console.log(`${pages.length} pages, ${records} records: JSON ${kib(asJson)} KiB, binary ${kib(asBinary)} KiB`);

// 3. Served as they are, received and split into records by the page.
const files = http.createServer((req, res) => {
	req.resume();
	const match = /^\/p(\d+)\.(json|bin)$/.exec(req.url ?? '');
	if (!match) return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>transport</title>');
	const i = Number(match[1]);
	res.writeHead(200, { 'content-type': match[2] === 'json' ? 'application/json' : 'application/octet-stream', 'cache-control': 'no-store' });
	res.end(match[2] === 'json' ? asJson[i] : asBinary[i]);
});
await new Promise<void>((resolve) => files.listen(benchPortBase + 14, resolve));
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
	const page = await browser.newPage();
	await page.goto(`http://localhost:${benchPortBase + 14}/`);
	await page.addScriptTag({ content: decoder });
	const cdp = await page.context().newCDPSession(page);
	const receive = (form: 'json' | 'bin') =>
		page.evaluate(
			async ([form, count]) => {
				const started = performance.now();
				let received = 0;
				for (let i = 0; i < count; i++) {
					const response = await fetch(`/p${i}.${form}`, { method: 'POST' });
					if (form === 'json') {
						const packed = (await response.json()).result.data.packed;
						const fromBase64 = (Uint8Array as unknown as { fromBase64(s: string): Uint8Array }).fromBase64;
						for (const t of ['cases', 'persons', 'notes', 'visits']) for (const r of packed[t]) received += fromBase64(r.json).length;
					} else {
						const decode = (globalThis as unknown as { decodePullFrame(frame: Uint8Array): { packed: Record<string, { json: Uint8Array }[]> } }).decodePullFrame;
						const { packed } = decode(new Uint8Array(await response.arrayBuffer()));
						for (const t of ['cases', 'persons', 'notes', 'visits']) for (const r of packed[t]) received += r.json.length;
					}
				}
				return { ms: performance.now() - started, received };
			},
			[form, pages.length] as const
		);
	const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
	for (const rate of rates) {
		await cdp.send('Emulation.setCPUThrottlingRate', { rate });
		const times = { json: [] as number[], bin: [] as number[] };
		const sizes = new Set<number>();
		await receive('json'); // warm-up (compiles both paths' code once)
		await receive('bin');
		for (let r = 0; r < rounds; r++)
			for (const form of r % 2 ? (['bin', 'json'] as const) : (['json', 'bin'] as const)) {
				const { ms, received } = await receive(form);
				times[form].push(ms);
				sizes.add(received);
			}
		if (sizes.size !== 1) throw new Error(`the two forms gave different bytes: ${[...sizes].join(', ')}`);
		const list = (v: number[]) => v.map((x) => x.toFixed(0)).join('/');
		console.log(
			`x${rate}: JSON + base64 median ${median(times.json).toFixed(0)} ms (${list(times.json)}), binary median ${median(times.bin).toFixed(0)} ms (${list(times.bin)}), ` +
				`ratio ${(median(times.json) / median(times.bin)).toFixed(2)}`
		);
	}
} finally {
	await browser.close();
	files.close();
}
