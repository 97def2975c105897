import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';

/** The built app, copied out of build/ so that a concurrent `npm test` rebuilding it does not pull files from under us. */
export const appDir = 'bench/.cache/app';

export function buildApp(log: (line: string) => void): void {
	// .svelte-kit/ and build/ are shared with anyone else building on this machine: a build that
	// collides with another one fails; try again.
	for (let attempt = 1; ; attempt++) {
		log(`building the app (npx vite build)${attempt > 1 ? `, attempt ${attempt}` : ''}...`);
		const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: ['ignore', 2, 2], env: { ...process.env, NODE_ENV: 'production' } });
		if (result.status === 0) break;
		if (attempt === 3) throw new Error('vite build failed');
	}
	rmSync(appDir, { recursive: true, force: true });
	cpSync('build', appDir, { recursive: true });
}

export function appBuilt(): boolean {
	return existsSync(`${appDir}/index.js`);
}

export interface AppServer {
	url: string;
	pid: number;
	/** How many processes serve the app now (scripts/serve.js and its workers). */
	processes(): number;
	/** Resident set size of the server's processes now, summed, in MiB. */
	rssMiB(): number;
	/** CPU time (user + system) the server's processes used so far, in ms. */
	cpuMs(): number;
	output(): string;
	stop(): Promise<void>;
}

/** Starts the built app on PostgreSQL, as tests/support/serverProcess.ts does for the e2e tests. */
export async function startApp(databaseUrl: string, port: number, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<AppServer> {
	// A server left over on the port (a run killed before its clean-up) would answer the health
	// check in place of this one, and everything would be measured on old code.
	const taken = await fetch(`http://localhost:${port}/healthz`).then(
		() => true,
		() => false
	);
	if (taken) throw new Error(`port ${port} is already in use (a server left over by an interrupted run?)`);
	let output = '';
	// Through scripts/serve.js, as `npm start` runs it: SERVER_PROCESSES (in `env`) processes.
	const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'scripts/serve.js', process.env.BENCH_SERVER_ENTRY ?? `${appDir}/index.js`], {
		env: {
			PATH: process.env.PATH ?? '',
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: `http://localhost:${port}`,
			DATABASE_URL: databaseUrl,
			DEMO_SEED: 'off',
			RETENTION_JOB: 'off',
			LOG_LEVEL: 'warn',
			LOGIN_MAX_PER_ADDRESS: '10000',
			// Node/V8 options for the server's processes, to try heap settings (BENCHMARKS.md).
			...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
	child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
	const url = `http://localhost:${port}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output}`);
		try {
			if ((await fetch(`${url}/healthz`)).status === 200) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not become healthy: ${output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	// Several processes: the first answers once it listens, the others start after it.
	while ((env.SERVER_PROCESSES ?? '1') !== '1' && !output.includes('"event":"server.processes"')) {
		if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server processes did not all start: ${output}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		url,
		pid: child.pid!,
		processes: () => serverTree(child.pid!).length,
		rssMiB: () =>
			serverTree(child.pid!).reduce((sum, pid) => {
				const match = /VmRSS:\s+(\d+) kB/.exec(readProc(pid, 'status'));
				return sum + (match ? Number(match[1]) / 1024 : 0);
			}, 0),
		cpuMs: () => {
			if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output}`);
			// Of the processes alive now: a process that died and was replaced takes its CPU time with it.
			return serverTree(child.pid!).reduce((sum, pid) => {
				const fields = readProc(pid, 'stat').split(') ')[1]?.split(' ') ?? [];
				return sum + ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1000) / 100;
			}, 0);
		},
		output: () => output,
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
			})
	};
}

function readProc(pid: number, file: string): string {
	try {
		return readFileSync(`/proc/${pid}/${file}`, 'utf8');
	} catch {
		return ''; // gone meanwhile
	}
}

/** The server process and its descendants (the cluster's workers), from /proc. */
function serverTree(root: number): number[] {
	const parents = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const ppid = Number(readProc(Number(entry), 'stat').split(') ')[1]?.split(' ')[1]);
		if (!Number.isInteger(ppid)) continue;
		parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
	}
	const tree = [root];
	for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]) ?? []));
	return tree;
}
