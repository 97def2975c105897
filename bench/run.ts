// `npm run bench`: every benchmark, then a plain table; `npm run bench -- --json` prints one JSON
// object instead. Options: --no-build (reuse bench/.cache/app), --only=server|browser, --quick.
// See BENCHMARKS.md.
import os from 'node:os';
import { adminUrl, benchDatabaseUrl, benchPortBase } from './config';
import { LARGE_DATASET, datasetPresent, generateDataset } from './dataset/generateDataset';
import { appBuilt, buildApp, startApp } from './lib/appServer';
import { Figures } from './lib/figures';
import { measureHostReference } from './lib/hostReference';
import { benchIncrementalPull, benchPullThroughput, benchPushThroughput, prepareDevices } from './scenarios/serverSync';
import { benchBrowser } from './scenarios/browser';

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const quick = args.includes('--quick');
// With --json, progress goes to stderr so that stdout is the JSON object alone.
const log = (line: string) => (json ? console.error(line) : console.log(line));

const figures = new Figures();
const started = performance.now();
const hostAtStart = await measureHostReference(3);

if (!(await datasetPresent(benchDatabaseUrl, LARGE_DATASET))) {
	log('large dataset missing: generating it (npm run bench:data)');
	await generateDataset(adminUrl, benchDatabaseUrl, LARGE_DATASET, log);
}
if (!args.includes('--no-build') || !appBuilt()) buildApp(log);

// The server as `npm start` runs it by default: one process (SERVER_PROCESSES=1). With more than
// one core, the pull and push capacity of SERVER_PROCESSES=auto are measured after it, as a
// comparison (throughput against memory; README, SERVER_PROCESSES).
const serverProcesses = process.env.BENCH_SERVER_PROCESSES ?? '1';
const server = await startApp(benchDatabaseUrl, benchPortBase, { SERVER_PROCESSES: serverProcesses });
log(`server: ${server.processes() > 1 ? `${server.processes() - 1} processes (SERVER_PROCESSES=${serverProcesses})` : 'one process'}`);
try {
	if (!only || only === 'server') {
		const o = {
			databaseUrl: benchDatabaseUrl,
			server,
			figures,
			log,
			users: LARGE_DATASET.users,
			pullCalls: quick ? 100 : 300,
			runs: quick ? 2 : 3,
			devices: 100,
			seconds: quick ? 5 : 10
		};
		log('incremental_pull');
		await benchIncrementalPull(o);
		log('pull_throughput / server_rss (100 devices)');
		const devices = await prepareDevices(o, o.devices);
		await benchPullThroughput(o, devices);
		log('push_throughput (100 devices)');
		await benchPushThroughput(o, devices);
		if (serverProcesses === '1' && os.availableParallelism() > 1) {
			// Same devices and sessions, one process per core: what SERVER_PROCESSES=auto buys here.
			const multi = await startApp(benchDatabaseUrl, benchPortBase + 1, { SERVER_PROCESSES: 'auto' });
			try {
				const m = { ...o, server: multi, variant: 'multi_process', runs: quick ? 1 : 2 };
				log(`pull_throughput / push_throughput, ${multi.processes() - 1} server processes (SERVER_PROCESSES=auto)`);
				await benchPullThroughput(m, devices);
				await benchPushThroughput(m, devices);
			} finally {
				await multi.stop();
			}
		}
	}
	if (!only || only === 'browser') {
		await benchBrowser({ server, figures, log, databaseUrl: benchDatabaseUrl, runs: quick ? 2 : 5 });
	}
} finally {
	await server.stop();
}

// The host's speed at both ends of the run, on fixed work (bench/lib/hostReference.ts).
const hostAtEnd = await measureHostReference(3);
figures.add('host.argon2id_node_ms.start', 'ms', hostAtStart.argon2idMs);
figures.add('host.argon2id_node_ms.end', 'ms', hostAtEnd.argon2idMs);
figures.add('host.json_round_trip_ms.start', 'ms', hostAtStart.jsonMs);
figures.add('host.json_round_trip_ms.end', 'ms', hostAtEnd.jsonMs);

const meta = {
	date: new Date().toISOString(),
	machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
	seconds: Math.round((performance.now() - started) / 1000),
	/** 1, 5 and 15-minute load averages at the end: other work on this 2-core machine skews wall-clock figures. */
	loadavg: os.loadavg().map((l) => Number(l.toFixed(2)))
};
if (json) {
	console.log(JSON.stringify({ ...meta, figures: figures.toJSON() }, null, 2));
} else {
	console.log(`\nCarnet benchmarks — ${meta.date} — ${meta.machine} — ${meta.seconds} s — load average ${meta.loadavg.join(' ')}\n`);
	console.log(figures.toTable());
}
