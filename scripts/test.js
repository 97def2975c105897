#!/usr/bin/env node
// `npm test`: the whole suite — type check, unit and server tests (PGlite, and PostgreSQL when
// reachable), browser tests in real Chromium, then end-to-end tests against the built app.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
	console.error(
		`Chromium introuvable (${chromium}). Installez-le : sudo apt-get install -y chromium\n` +
			`Chromium not found at ${chromium}: install it with "sudo apt-get install -y chromium" or set CHROMIUM_PATH.`
	);
	process.exit(1);
}

const steps = [
	['types', ['npx', 'svelte-kit', 'sync']],
	['types', ['npx', 'svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'human']],
	// Built first: some server tests start the real built server (healthz, faults).
	['build', ['npx', 'vite', 'build', '--logLevel', 'warn']],
	['unit, server and browser tests', ['npx', 'vitest', 'run']],
	['end-to-end tests', ['npx', 'playwright', 'test']]
];

for (const [name, [command, ...args]] of steps) {
	console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, NODE_ENV: name === 'build' ? 'production' : 'test' } });
	if (result.status !== 0) {
		console.error(`\nnpm test: step "${name}" failed (exit ${result.status}).`);
		process.exit(result.status ?? 1);
	}
}
console.log('\nnpm test: every step passed.');
