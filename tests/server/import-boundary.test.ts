import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The lint rule of STYLE.md §5: code under src/ never imports values from server/ (types only).
 * SvelteKit guards only $lib/server; this walks every import of src/ instead. The server entry
 * points of SvelteKit (hooks.server.ts, +*.server.ts, and +server.ts endpoints, which SvelteKit
 * never bundles for the browser) are the only exceptions.
 */
function listFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? listFiles(path) : [path];
	});
}

const serverEntry = /(^|\/)(hooks\.server\.ts|\+server\.ts|\+[a-z]+\.server\.ts)$/;
const importPattern = /^\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function serverValueImports(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const found: string[] = [];
	for (const match of text.matchAll(importPattern)) {
		const typeOnly = Boolean(match[1]);
		const source = match[2] ?? match[3] ?? match[4];
		const fromServer = source.startsWith('$server') || /(^|\/)server\//.test(source.replace(/^(\.\.\/)+/, ''));
		const isLibServer = source.startsWith('$lib/server');
		if ((fromServer || isLibServer) && !typeOnly) found.push(source);
	}
	return found;
}

describe('import boundary between src/ and server/', () => {
	const files = listFiles('src').filter((f) => /\.(ts|svelte|js)$/.test(f) && !serverEntry.test(f) && !/\.test\.ts$/.test(f));

	it('finds the client code to check', () => {
		expect(files.length).toBeGreaterThan(20);
	});

	it('has no value import from server/ in client code', () => {
		const offenders = files.flatMap((file) => serverValueImports(file).map((source) => `${relative('.', file)} imports ${source}`));
		expect(offenders).toEqual([]);
	});

	it('detects a value import and lets a type import through (the check can fail)', () => {
		const dir = mkdtempSync(join(tmpdir(), 'boundary-'));
		const probe = join(dir, 'probe.ts');
		writeFileSync(
			probe,
			"import { appRouter } from '$server/trpc/routers/_app';\nimport type { AppRouter } from '$server/trpc/routers/_app';\nimport { x } from '../../server/db/client';\n"
		);
		expect(serverValueImports(probe)).toEqual(['$server/trpc/routers/_app', '../../server/db/client']);
		rmSync(dir, { recursive: true });
	});
});
