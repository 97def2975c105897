// Developer tool, not part of `npm run bench`: runs the pull (or push) closed loop against the
// built app started with --cpu-prof, then prints the heaviest functions (self time). `firstsync`:
// the browser bench's worker makes first syncs (binary frames) one after another, as a new device.
// npx tsx bench/tools/profileServer.ts [pull|push|firstsync] [seconds]
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import postgres from 'postgres';
import { benchDatabaseUrl, benchPortBase } from '../config';
import { startApp } from '../lib/appServer';
import { Figures } from '../lib/figures';
import { benchPullThroughput, benchPushThroughput, firstSync, prepareDevices } from '../scenarios/serverSync';
import { ids, LARGE_DATASET } from '../dataset/generateDataset';
import { createSessions } from '../lib/sessions';
import { callPullFrame, createAgent } from '../lib/trpcHttp';

const kind = process.argv[2] ?? 'pull';
const seconds = Number(process.argv[3] ?? 8);
const dir = '/tmp/carnet-prof';
rmSync(dir, { recursive: true, force: true });
const server = await startApp(benchDatabaseUrl, benchPortBase + 7, {}, [`--cpu-prof`, `--cpu-prof-dir=${dir}`]);
const figures = new Figures();
const o = { databaseUrl: benchDatabaseUrl, server, figures, log: console.log, users: LARGE_DATASET.users, pullCalls: 10, runs: 1, devices: 100, seconds };
try {
	if (kind === 'firstsync') {
		const sql = postgres(benchDatabaseUrl, { max: 1, onnotice: () => {} });
		const token = (await createSessions(sql, [ids.syncUser])).get(ids.syncUser)!;
		await sql.end();
		const agent = createAgent(1);
		const deadline = performance.now() + seconds * 1000;
		const times: number[] = [];
		while (performance.now() < deadline) {
			const begun = performance.now();
			const device = { userId: ids.syncUser, token, deviceId: randomUUID(), cursor: null, held: [], caseIds: [] };
			await firstSync(async (input) => {
				const r = await callPullFrame(agent, server.url, input, token);
				if (!r.data) throw new Error(`POST /sync/pull answered ${r.status}`);
				return { data: r.data, bytes: r.bytes };
			}, device);
			times.push(performance.now() - begun);
		}
		agent.destroy();
		console.log(`${times.length} first syncs, ms: ${times.map((t) => t.toFixed(0)).join(' ')}`);
	}
	const devices = kind === 'firstsync' ? [] : await prepareDevices(o, o.devices);
	if (kind === 'firstsync') {
		// done above
	} else if (kind === 'push') await benchPushThroughput(o, devices);
	else await benchPullThroughput(o, devices);
} finally {
	await server.stop();
}
await new Promise((r) => setTimeout(r, 1000));
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile');
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] };
const profile = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as { nodes: Node[] };
const self = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
	const f = node.callFrame;
	const key = `${f.functionName || '(anon)'} ${f.url.replace(/.*\/(node_modules\/)?/, '')}:${f.lineNumber}`;
	self.set(key, (self.get(key) ?? 0) + node.hitCount);
	total += node.hitCount;
}
// Self time grouped by file too.
const byFile = new Map<string, number>();
for (const node of profile.nodes) {
	const url = node.callFrame.url.replace(/^.*node_modules\//, 'nm/').replace(/^.*\/app\//, 'app/') || node.callFrame.functionName;
	byFile.set(url, (byFile.get(url) ?? 0) + node.hitCount);
}
console.log(`profile ${dir}/${file}: ${total} samples`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log('--- by file');
for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
// Inclusive time of named functions (each function counted once per stack).
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const inclusive = new Map<string, number>();
function walk(node: Node, onStack: Set<string>): number {
	let hits = node.hitCount;
	const name = node.callFrame.functionName;
	const fresh = name && !onStack.has(name);
	if (fresh) onStack.add(name);
	for (const child of node.children ?? []) hits += walk(byId.get(child)!, onStack);
	if (fresh) {
		onStack.delete(name);
		inclusive.set(name, (inclusive.get(name) ?? 0) + hits);
	}
	return hits;
}
walk(profile.nodes[0], new Set());
console.log('--- inclusive');
for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
