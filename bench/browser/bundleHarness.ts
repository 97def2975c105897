import { build, type Plugin } from 'esbuild';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { BrowserContext } from 'playwright';

/**
 * Vite's `*.wasm?init` imports (src/lib/crypto/argon2.ts) for esbuild: a function that
 * instantiates the module, its bytes inlined.
 */
const wasmInit: Plugin = {
	name: 'wasm-init',
	setup(pluginBuild) {
		const require = createRequire(resolve('package.json'));
		pluginBuild.onResolve({ filter: /\.wasm\?init$/ }, (args) => ({
			path: require.resolve(args.path.replace(/\?init$/, '')),
			namespace: 'wasm-init'
		}));
		pluginBuild.onLoad({ filter: /.*/, namespace: 'wasm-init' }, async (args) => ({
			contents: `const bytes = Uint8Array.from(atob(${JSON.stringify((await readFile(args.path)).toString('base64'))}), (c) => c.charCodeAt(0));
export default (imports) => WebAssembly.instantiate(bytes, imports).then((result) => result.instance);`,
			loader: 'js'
		}));
	}
};

type BundleOptions = { minify?: boolean; root?: string };

/**
 * Bundles an entry of a checkout with the real src/lib modules ($lib → src/lib), minified as in
 * production. `root`: another checkout to bundle from (an A/B against older client code);
 * `minify: false` keeps function names for a profile.
 */
async function bundle(entry: string, options: BundleOptions): Promise<string> {
	const root = resolve(options.root ?? '.');
	const result = await build({
		entryPoints: [resolve(root, entry)],
		bundle: true,
		format: 'esm',
		platform: 'browser',
		target: 'es2022',
		minify: options.minify ?? true,
		write: false,
		alias: { $lib: resolve(root, 'src/lib'), $server: resolve(root, 'server') },
		nodePaths: [resolve('node_modules')],
		define: { 'process.env.NODE_ENV': '"production"' },
		plugins: [wasmInit],
		logLevel: 'warning'
	});
	return result.outputFiles[0].text;
}

/** bench/browser/harness.ts bundled (see `bundle`). */
export function bundleHarness(options: BundleOptions = {}): Promise<string> {
	return bundle('bench/browser/harness.ts', options);
}

/**
 * Serves the harness page at `${baseUrl}/__${name}/index.html`: at the app's origin, so that the
 * sync engine reaches the real server with the session cookie.
 */
export async function serveHarness(context: BrowserContext, baseUrl: string, name: string, options: BundleOptions = {}): Promise<void> {
	const harness = await bundleHarness(options);
	// The sync engine's pull worker, where the bundle asks for it (`new URL('./pullFetch.worker.ts',
	// import.meta.url)` is left as is by esbuild: next to harness.js). Older checkouts have none.
	const workerEntry = 'src/lib/api/pullFetch.worker.ts';
	const pullWorker = existsSync(resolve(options.root ?? '.', workerEntry)) ? await bundle(workerEntry, options) : null;
	await context.route(`${baseUrl}/__${name}/**`, (route) => {
		const path = new URL(route.request().url()).pathname;
		if (path.endsWith('/harness.js')) return route.fulfill({ contentType: 'text/javascript', body: harness });
		if (pullWorker && path.endsWith('/pullFetch.worker.ts')) return route.fulfill({ contentType: 'text/javascript', body: pullWorker });
		return route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>bench</title><script type="module" src="/__${name}/harness.js"></script>` });
	});
}
