import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';

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
	/** Resident set size of the server process now, in MiB. */
	rssMiB(): number;
	/** CPU time (user + system) the server process used so far, in ms. */
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
	const child: ChildProcess = spawn(process.execPath, [...nodeArgs, process.env.BENCH_SERVER_ENTRY ?? `${appDir}/index.js`], {
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
	return {
		url,
		pid: child.pid!,
		rssMiB: () => {
			const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
			return match ? Number(match[1]) / 1024 : NaN;
		},
		cpuMs: () => {
			if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output}`);
			const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
			return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
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
