import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ServerProcess {
	url: string;
	process: ChildProcess;
	output: () => string;
	stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the built app (build/index.js, through scripts/serve.js as `npm start` does) on a free-ish port with the given environment. */
export async function startBuiltServer(env: Record<string, string>, port: number): Promise<ServerProcess> {
	if (!existsSync('build/index.js')) throw new Error('build/index.js missing: run `npx vite build` first (npm test does).');
	let output = '';
	const child = spawn(process.execPath, ['scripts/serve.js', 'build/index.js'], {
		env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ORIGIN: `http://localhost:${port}`, RETENTION_JOB: 'off', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output}`);
		try {
			const response = await fetch(`${url}/healthz`);
			if (response.status === 200) break;
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
		process: child,
		output: () => output,
		stop: (signal = 'SIGTERM') =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill(signal);
			})
	};
}
