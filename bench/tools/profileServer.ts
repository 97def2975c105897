// Developer tool, not part of `npm run bench`: runs the pull (or push) closed loop against the
// built app started with --cpu-prof, then prints the heaviest functions (self time).
// npx tsx bench/tools/profileServer.ts [pull|push] [seconds]
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { benchDatabaseUrl, benchPortBase } from '../config';
import { startApp } from '../lib/appServer';
import { Figures } from '../lib/figures';
import { benchPullThroughput, benchPushThroughput, prepareDevices } from '../scenarios/serverSync';
import { LARGE_DATASET } from '../dataset/generateDataset';

const kind = process.argv[2] ?? 'pull';
const seconds = Number(process.argv[3] ?? 8);
const dir = '/tmp/carnet-prof';
rmSync(dir, { recursive: true, force: true });
const server = await startApp(benchDatabaseUrl, benchPortBase + 7, {}, [`--cpu-prof`, `--cpu-prof-dir=${dir}`]);
const figures = new Figures();
const o = { databaseUrl: benchDatabaseUrl, server, figures, log: console.log, users: LARGE_DATASET.users, pullCalls: 10, runs: 1, devices: 100, seconds };
try {
	const devices = await prepareDevices(o, o.devices);
	if (kind === 'push') await benchPushThroughput(o, devices);
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
