#!/usr/bin/env node
// `npm start`: builds the app when the build is missing or older than the sources, then serves
// it with adapter-node on http://localhost:3000 (PORT and HOST override), through
// scripts/serve.js (SERVER_PROCESSES processes).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const buildEntry = 'build/index.js';

function newestMtime(path) {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

const sources = ['src', 'server', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'].filter(existsSync);
const stale = !existsSync(buildEntry) || Math.max(...sources.map(newestMtime)) > statSync(buildEntry).mtimeMs;
if (stale) {
	console.log('Construction de Carnet (vite build)…');
	const result = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

const env = { ...process.env, PORT: process.env.PORT ?? '3000', HOST: process.env.HOST ?? '0.0.0.0' };
// adapter-node assumes https when it is not told the origin; a plain local run is http.
if (!env.ORIGIN && !env.PROTOCOL_HEADER) env.ORIGIN = `http://localhost:${env.PORT}`;
console.log(`Carnet : http://localhost:${env.PORT}`);
const child = spawn(process.execPath, ['scripts/serve.js', buildEntry], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
