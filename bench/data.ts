// `npm run bench:data`: (re)builds the large benchmark database (carnet_bench) on PostgreSQL.
// `--if-missing` keeps a database already generated with the same sizes.
import { adminUrl, benchDatabaseUrl } from './config';
import { LARGE_DATASET, datasetPresent, generateDataset } from './dataset/generateDataset';

const ifMissing = process.argv.includes('--if-missing');
if (ifMissing && (await datasetPresent(benchDatabaseUrl, LARGE_DATASET))) {
	console.log(`bench:data: ${new URL(benchDatabaseUrl).pathname.slice(1)} is present, reused`);
} else {
	const started = performance.now();
	console.log(`bench:data: generating ${new URL(benchDatabaseUrl).pathname.slice(1)}`, LARGE_DATASET);
	await generateDataset(adminUrl, benchDatabaseUrl, LARGE_DATASET, console.log);
	console.log(`bench:data: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
