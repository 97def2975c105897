// Developer tool, not part of `npm run bench`: first syncs of the bench's sync user (every page,
// as binary frames, as the device asks them), one after the other, against the built app started with
// --cpu-prof; prints per-page server time and the heaviest functions (self time).
//   npx tsx bench/tools/profileFirstSync.ts [syncs]
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import postgres from 'postgres';
import { benchDatabaseUrl, benchPortBase } from '../config';
import { ids } from '../dataset/generateDataset';
import { startApp } from '../lib/appServer';
import { createSessions } from '../lib/sessions';
import { callPullFrame, createAgent } from '../lib/trpcHttp';

const syncs = Number(process.argv[2] ?? 20);
const dir = '/tmp/carnet-prof-first';
rmSync(dir, { recursive: true, force: true });
const server = await startApp(benchDatabaseUrl, benchPortBase + 9, {}, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
const sql = postgres(benchDatabaseUrl, { max: 1, onnotice: () => {} });
const token = (await createSessions(sql, [ids.syncUser])).get(ids.syncUser)!;
await sql.end({ timeout: 1 });
const agent = createAgent(1);
const pageMs: number[][] = [];
let bytes = 0;
const cpu0 = server.cpuMs();
const wall0 = performance.now();
try {
	for (let s = 0; s < syncs; s++) {
		const deviceId = randomUUID();
		let cursor: string | null = null;
		const held: string[] = [];
		const times: number[] = [];
		for (;;) {
			const r = await callPullFrame(agent, server.url, { deviceId, cursor, heldCaseIds: held }, token);
			if (!r.data || r.data.wipe) throw new Error(`POST /sync/pull answered ${r.status}`);
			const page = r.data;
			times.push(r.ms);
			bytes += r.bytes;
			held.push(...page.packed.cases.map((c) => c.id));
			cursor = page.cursor;
			if (!page.hasMore) break;
		}
		pageMs.push(times);
	}
	console.log(`${syncs} first syncs: ${((performance.now() - wall0) / syncs).toFixed(1)} ms each, server CPU ${((server.cpuMs() - cpu0) / syncs).toFixed(1)} ms each, ${(bytes / syncs / 1024).toFixed(0)} KiB each`);
} finally {
	await server.stop();
}
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log('page ms (median over syncs):', pageMs[0].map((_, i) => med(pageMs.map((t) => t[i] ?? 0)).toFixed(1)).join(' / '));
await new Promise((r) => setTimeout(r, 1000));
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile');
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number };
const profile = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as { nodes: Node[] };
const self = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
	if (node.callFrame.functionName === '(idle)') continue;
	const f = node.callFrame;
	const key = `${f.functionName || '(anon)'} ${f.url.replace(/.*\/(node_modules\/)?/, '')}:${f.lineNumber}`;
	self.set(key, (self.get(key) ?? 0) + node.hitCount);
	total += node.hitCount;
}
console.log(`${total} busy samples`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
