// Developer tool, not part of `npm run bench`: the pull and push loops of the bench against the
// built app started with each DATABASE_POOL_SIZE given, alternated, so that host drift hits every
// size alike.   npx tsx bench/tools/poolSize.ts [sizes, e.g. 10,4,2] [rounds]
import { benchDatabaseUrl, benchPortBase } from '../config';
import { startApp } from '../lib/appServer';
import { Figures } from '../lib/figures';
import { LARGE_DATASET } from '../dataset/generateDataset';
import { benchPullThroughput, benchPushThroughput, prepareDevices } from '../scenarios/serverSync';

const sizes = (process.argv[2] ?? '10,4').split(',').map(Number);
const rounds = Number(process.argv[3] ?? 2);
for (let round = 0; round < rounds; round++) {
	for (const size of sizes) {
		const server = await startApp(benchDatabaseUrl, benchPortBase + 7, { DATABASE_POOL_SIZE: String(size) });
		try {
			const log = (line: string) => console.log(`pool ${size}: ${line.trim()}`);
			const o = { databaseUrl: benchDatabaseUrl, server, figures: new Figures(), log, users: LARGE_DATASET.users, pullCalls: 0, runs: 1, devices: 100, seconds: 8 };
			const devices = await prepareDevices(o, o.devices);
			await benchPullThroughput(o, devices);
			await benchPushThroughput(o, devices);
		} finally {
			await server.stop();
		}
	}
}
