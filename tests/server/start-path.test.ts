import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * What the browser loads before the unlock screen (ARCHITECTURE.md, "App start"): the client
 * entry and the nodes of the route, as the built app's own manifest lists them (SvelteKit
 * preloads exactly these). The encrypted tables' zod schemas, argon2id's WebAssembly and the
 * sync engine are loaded after the screen is shown; a static import that pulls them back onto
 * this path fails here. Reads the build that `npm test` makes before Vitest.
 */

const build = 'build';
const serverChunks = join(build, 'server', 'chunks');

/** Strings that only these modules put in the bundle. */
const markers = {
	zod: 'ZodError',
	'argon2id (WebAssembly)': 'AGFzbQ', // base64 of "\0asm", the start of an embedded WebAssembly module
	'sync engine': 'heldCaseIds'
};

function fileIn(dir: string, prefix: string): string {
	const name = readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.js'));
	if (!name) throw new Error(`no ${prefix}*.js in ${dir}: has the SvelteKit build layout changed?`);
	return join(dir, name);
}

/** The client files SvelteKit loads for a route: the entry's imports and each node's imports. */
function startFiles(route: string): string[] {
	const manifest = readFileSync(fileIn(serverChunks, 'manifest.js-'), 'utf8');
	const entry = /client: \{[^}]*?imports:(\[[^\]]*\])/.exec(manifest);
	const id = route.replace(/[[\]]/g, '\\$&');
	const page = new RegExp(`id: "${id}",(?:(?!id: ")[\\s\\S])*?page: \\{ layouts: \\[([^\\]]*)\\], errors: \\[[^\\]]*\\], leaf: (\\d+) \\}`).exec(manifest);
	if (!entry || !page) throw new Error(`route ${route} or the client entry not found in the manifest`);
	const nodes = [...page[1].split(',').filter((n) => n.trim() !== ''), page[2]].map(Number);
	const files = new Set<string>(JSON.parse(entry[1]) as string[]);
	for (const node of nodes) {
		const source = readFileSync(fileIn(join(serverChunks, 'nodes'), `${node}.js-`), 'utf8');
		const imports = /const imports = (\[[^\]]*\]);/.exec(source);
		if (!imports) throw new Error(`node ${node}: no imports list`);
		for (const file of JSON.parse(imports[1]) as string[]) files.add(file);
	}
	return [...files];
}

function allClientScripts(dir = join(build, 'client', '_app', 'immutable')): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? allClientScripts(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : []
	);
}

describe('the unlock screen loads neither the schemas, nor argon2id, nor the sync engine', () => {
	test('the build is there', () => {
		expect(existsSync(serverChunks), 'build/ missing: run `npx vite build` first (npm test does)').toBe(true);
	});

	test('each marker is in the build (so its absence below means something)', () => {
		const all = allClientScripts().map((file) => readFileSync(file, 'utf8'));
		for (const [what, marker] of Object.entries(markers)) {
			expect(all.some((source) => source.includes(marker)), `${what} (${marker}) not found in any client script`).toBe(true);
		}
	});

	// Where a worker's device starts or reloads: the caseload (the prerendered offline shell's router
	// goes there), a case, the note editor.
	for (const route of ['/app', '/app/dossier/[id]', '/app/dossier/[id]/note']) {
		test(`${route}: no marker in the scripts loaded before the route renders`, () => {
			const files = startFiles(route);
			expect(files.length).toBeGreaterThan(3);
			for (const file of files) {
				const source = readFileSync(join(build, 'client', file), 'utf8');
				for (const [what, marker] of Object.entries(markers)) {
					expect(source.includes(marker), `${file} holds ${what} (${marker}), on the start path of ${route}`).toBe(false);
				}
			}
		});
	}
});

describe('the offline shell lets the early unlock form come first', () => {
	// Served by the service worker for every navigation while offline (vite.config.ts, navigateFallback).
	const shell = () => readFileSync(join(build, 'prerendered', 'shell.html'), 'utf8');

	test('early-unlock.js is the first script, and the head holds no modulepreload link', () => {
		const html = shell();
		const head = html.slice(0, html.indexOf('</head>'));
		// A modulepreload link is a request the parser sets up before <body> exists (about 25 ms
		// each at 4× CPU throttling): without the shell's ten, the early form came 6 % sooner at 4× and
		// 30 % sooner unthrottled, paired medians (BENCHMARKS.md, ninth round).
		expect(head).not.toMatch(/rel="?modulepreload/);
		const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
		expect(scripts[0]).toContain('src="/early-unlock.js"');
		// The stylesheet the early form is drawn with is still in the head.
		expect(head).toMatch(/<link href="[^"]+\.css" rel="stylesheet">/);
	});
});
