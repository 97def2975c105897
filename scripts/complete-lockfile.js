#!/usr/bin/env node
// Some registry mirrors (this project's build machines included) do not serve rollup's native
// packages for other platforms, so `npm install` writes a lockfile without them and `npm ci`
// then refuses it ("Missing: @rollup/rollup-… from lock file"). This adds the missing entries,
// marked optional with their os/cpu/libc, which npm skips on other platforms.
// Run after any `npm install` that rewrites package-lock.json.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let added = 0;
for (const [path, meta] of Object.entries(lock.packages)) {
	if (!path.endsWith('node_modules/rollup') || !meta.optionalDependencies) continue;
	const base = path.slice(0, -'rollup'.length);
	for (const [name, version] of Object.entries(meta.optionalDependencies)) {
		const key = base + name;
		if (lock.packages[key]) continue;
		const match = /rollup-([a-z0-9]+)-([a-z0-9]+)(?:-([a-z]+))?$/.exec(name);
		if (!match) continue;
		const [, os, cpu, abi] = match;
		const entry = { version, cpu: [cpu], dev: meta.dev ?? false, license: 'MIT', optional: true, os: [os] };
		if (abi === 'musl' || abi === 'musleabihf') entry.libc = ['musl'];
		else if (os === 'linux' && (abi === 'gnu' || abi === 'gnueabihf')) entry.libc = ['glibc'];
		lock.packages[key] = entry;
		added++;
	}
}
const keys = Object.keys(lock.packages).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0));
lock.packages = Object.fromEntries(keys.map((key) => [key, lock.packages[key]]));
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lockfile: ${added} entries added`);
