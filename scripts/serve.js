#!/usr/bin/env node
// Serves the built app (adapter-node's entry, `build/index.js` unless given) in one process, or,
// with SERVER_PROCESSES=N|auto on PostgreSQL, in N processes sharing the port (node:cluster).
// Nothing lives in a server process but caches of prepared statements and batching queues:
// sessions, login throttling, sync state and the audit chain's lock are all in PostgreSQL
// (server/runtime.ts), so any process may answer any request.
//
//   node scripts/serve.js [entry]
//
// The configuration (SERVER_PROCESSES included, and the rule that the embedded database opens
// in one process only) is validated by each process, as for every other variable
// (server/config.ts): here the value is only read to know how many processes to start.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = resolve(process.argv[2] ?? 'build/index.js');

/** How many processes to start; a value the config will refuse starts one, which reports it. */
function processCount(value) {
	if (value === 'auto') return availableParallelism();
	const n = Number(value ?? '1');
	return Number.isInteger(n) && n >= 1 && n <= 64 ? n : 1;
}

function log(level, event, fields = {}) {
	const line = JSON.stringify({ at: new Date().toISOString(), level, event, ...fields });
	if (level === 'error' || level === 'warn') console.error(line);
	else console.log(line);
}

const count = processCount(process.env.SERVER_PROCESSES || undefined);

if (count === 1) {
	await import(pathToFileURL(entry).href);
	log('info', 'server.processes', { count, pid: process.pid });
} else {
	cluster.setupPrimary({ exec: entry });
	let stopping = false;
	let listening = 0;
	/** Processes not yet exited (cluster.workers may still list one that has). */
	const live = new Set();
	/** Unexpected exits in the last minute: a process that keeps dying stops the server. */
	const recentCrashes = [];

	const fork = () => {
		const worker = cluster.fork();
		live.add(worker);
		worker.once('listening', () => {
			listening++;
			// The first process applies the migrations before it listens; the others start after it.
			if (listening === 1) for (let i = 1; i < count; i++) fork();
			if (listening === count) log('info', 'server.processes', { count, pid: process.pid });
		});
		worker.once('exit', (code, signal) => {
			live.delete(worker);
			if (stopping) {
				if (live.size === 0) process.exit(stopCode);
				return;
			}
			if (listening === 0) {
				// The first process did not start (a configuration error, say; it said why).
				process.exit(code || 1);
			}
			const now = Date.now();
			recentCrashes.push(now);
			while (recentCrashes[0] < now - 60_000) recentCrashes.shift();
			log('error', 'server.process-exited', { pid: worker.process.pid, code, signal, restarting: recentCrashes.length <= 5 });
			if (recentCrashes.length > 5) {
				stop('SIGTERM', 1);
				return;
			}
			fork();
		});
	};

	/** Lets every process finish its requests and close its pool (adapter-node's graceful shutdown). */
	let stopCode = 0;
	const stop = (signal, exitCode = 0) => {
		if (stopping) return;
		stopping = true;
		stopCode = exitCode;
		if (live.size === 0) process.exit(exitCode);
		for (const worker of live) worker.process.kill(signal);
		setTimeout(() => {
			for (const worker of live) worker.process.kill('SIGKILL');
			process.exit(exitCode || 1);
		}, 30_000).unref();
	};
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
	fork();
}
