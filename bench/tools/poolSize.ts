// Developer tool, not part of `npm run bench`: the bench's pull and push loops against the built
// app started with each DATABASE_POOL_SIZE given, alternated, so that host drift hits every size
// alike. With --first-syncs=N instead: pulls at 500/s offered (open loop, 100 devices) while N
// devices of the sync user make first syncs one after the other, to see what long read
// transactions beside the heartbeat pulls do to both.
//   npx tsx bench/tools/poolSize.ts [sizes, e.g. 10,4,2] [rounds] [--first-syncs=4]
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { benchDatabaseUrl, benchPortBase } from '../config';
import { ids, LARGE_DATASET } from '../dataset/generateDataset';
import { startApp, type AppServer } from '../lib/appServer';
import { Figures } from '../lib/figures';
import { createSessions } from '../lib/sessions';
import { percentile } from '../lib/stats';
import { callPullFrame, createAgent } from '../lib/trpcHttp';
import { benchPullThroughput, benchPushThroughput, firstSync, openLoop, prepareDevices, unchangedPull, type Device } from '../scenarios/serverSync';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const sizes = (positional[0] ?? '10,4').split(',').map(Number);
const rounds = Number(positional[1] ?? 2);
const firstSyncers = Number(process.argv.find((a) => a.startsWith('--first-syncs='))?.split('=')[1] ?? 0);
const seconds = 8;

async function pullsBesideFirstSyncs(server: AppServer, devices: Device[]): Promise<string> {
	const sql = postgres(benchDatabaseUrl, { max: 1, onnotice: () => {} });
	const token = (await createSessions(sql, [ids.syncUser])).get(ids.syncUser)!;
	await sql.end();
	const agent = createAgent(devices.length + firstSyncers);
	try {
		const started = performance.now();
		const deadline = started + seconds * 1000;
		const firstSyncMs: number[] = [];
		const firstSyncs = Array.from({ length: firstSyncers }, async () => {
			while (performance.now() < deadline - 1500) {
				const begun = performance.now();
				const device: Device = { userId: ids.syncUser, token, deviceId: randomUUID(), cursor: null, held: [], caseIds: [] };
				const pull = (input: object) =>
					callPullFrame(agent, server.url, input, token).then((r) => {
						if (!r.data) throw new Error(`POST /sync/pull answered ${r.status}`);
						return { data: r.data, bytes: r.bytes };
					});
				await firstSync(pull, device);
				firstSyncMs.push(performance.now() - begun);
			}
		});
		// Each device pulls every 200 ms (500/s offered), latency counted from when the pull was due.
		const [pulls] = await Promise.all([openLoop(devices, 200, seconds, unchangedPull({ server }, agent)), ...firstSyncs]);
		return `pulls at 500/s beside ${firstSyncers} devices making first syncs: p50 ${pulls.p50.toFixed(0)} ms, p99 ${pulls.p99.toFixed(0)} ms, ${pulls.errors} errors; ${firstSyncMs.length} first syncs, median ${percentile(firstSyncMs, 50).toFixed(0)} ms, max ${Math.max(...firstSyncMs).toFixed(0)} ms`;
	} finally {
		agent.destroy();
	}
}

for (let round = 0; round < rounds; round++) {
	for (const size of sizes) {
		const server = await startApp(benchDatabaseUrl, benchPortBase + 7, { DATABASE_POOL_SIZE: String(size) });
		try {
			const log = (line: string) => console.log(`pool ${size}: ${line.trim()}`);
			const o = { databaseUrl: benchDatabaseUrl, server, figures: new Figures(), log, users: LARGE_DATASET.users, pullCalls: 0, runs: 1, devices: 100, seconds };
			const devices = await prepareDevices(o, o.devices);
			if (firstSyncers > 0) {
				log(await pullsBesideFirstSyncs(server, devices));
			} else {
				await benchPullThroughput(o, devices);
				await benchPushThroughput(o, devices);
			}
		} finally {
			await server.stop();
		}
	}
}
