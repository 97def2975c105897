import { build } from 'esbuild';
import { resolve } from 'node:path';

/** Bundles bench/browser/harness.ts with the real src/lib modules ($lib → src/lib), minified as in production. */
export async function bundleHarness(): Promise<string> {
	const result = await build({
		entryPoints: ['bench/browser/harness.ts'],
		bundle: true,
		format: 'esm',
		platform: 'browser',
		target: 'es2022',
		minify: true,
		write: false,
		alias: { $lib: resolve('src/lib'), $server: resolve('server') },
		define: { 'process.env.NODE_ENV': '"production"' },
		logLevel: 'warning'
	});
	return result.outputFiles[0].text;
}
