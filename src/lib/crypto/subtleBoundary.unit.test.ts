import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';

/** STYLE.md rule 3: only src/lib/crypto calls crypto.subtle (tests may use it as an independent check). */
test('no file outside src/lib/crypto calls crypto.subtle', () => {
	const root = join(import.meta.dirname, '..', '..');
	const offenders = walk(root)
		.filter((file) => /\.(ts|js|svelte)$/.test(file) && !/\.test\.ts$/.test(file))
		.filter((file) => !relative(root, file).startsWith(join('lib', 'crypto')))
		.filter((file) => /\bsubtle\b/.test(readFileSync(file, 'utf8')))
		.map((file) => relative(root, file));
	expect(offenders).toEqual([]);
});

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}
