import { build } from 'esbuild';
import { resolve } from 'node:path';

/**
 * Bundles bench/browser/harness.ts with the real src/lib modules ($lib → src/lib), minified as in
 * production. `root`: another checkout to bundle from (an A/B against older client code);
 * `minify: false` keeps function names for a profile.
 */
export async function bundleHarness(options: { minify?: boolean; root?: string } = {}): Promise<string> {
	const root = resolve(options.root ?? '.');
	const result = await build({
		entryPoints: [resolve(root, 'bench/browser/harness.ts')],
		bundle: true,
		format: 'esm',
		platform: 'browser',
		target: 'es2022',
		minify: options.minify ?? true,
		write: false,
		alias: { $lib: resolve(root, 'src/lib'), $server: resolve(root, 'server') },
		nodePaths: [resolve('node_modules')],
		define: { 'process.env.NODE_ENV': '"production"' },
		logLevel: 'warning'
	});
	return result.outputFiles[0].text;
}
