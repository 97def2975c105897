import { getConfig, type Config } from './config';
import { openDatabase, type DatabaseHandle } from './db/client';
import { seedDemoIfEmpty } from './db/seedDemo';
import { guardPostgresDriverFaults } from './db/guardPostgresDriverFaults';
import { log } from './log';
import { startRetentionJob } from './retention/startRetentionJob';

export interface Runtime {
	config: Config;
	database: DatabaseHandle;
}

let runtime: Promise<Runtime> | null = null;

/**
 * Opens the database once per process, applies migrations and, on the embedded database,
 * seeds the demo organisation when it has no users. No other state lives in the process:
 * sessions, throttling and sync state are all in the database.
 */
export function getRuntime(): Promise<Runtime> {
	runtime ??= (async () => {
		const config = getConfig();
		const database = await openDatabase({
			databaseUrl: config.DATABASE_URL,
			pgliteDir: config.PGLITE_DIR,
			migrationsDir: config.MIGRATIONS_DIR,
			poolSize: config.DATABASE_POOL_SIZE
		});
		log('info', 'database.ready', { kind: database.kind });
		if (database.recyclePool) guardPostgresDriverFaults(database.recyclePool);
		if (database.kind === 'pglite' && config.DEMO_SEED === 'auto') {
			const seeded = await seedDemoIfEmpty(database.db);
			if (seeded) log('info', 'demo.seeded', seeded);
		}
		// Every process starts the daily job; job_runs lets only one of them run it each day.
		if (config.RETENTION_JOB === 'on') startRetentionJob(database.db, config);
		// adapter-node emits this after SIGTERM/SIGINT once in-flight requests are done: close
		// the pool (or flush PGlite to disk) so that the process ends at once, cleanly.
		process.once('sveltekit:shutdown', () => {
			database
				.close()
				.then(
					() => log('info', 'database.closed', { kind: database.kind }),
					(error: unknown) => log('error', 'database.close-failed', { message: String(error) })
				)
				// One of several processes (scripts/serve.js): its channel to the primary would keep it alive.
				.finally(() => process.connected && process.disconnect?.());
		});
		return { config, database };
	})();
	return runtime;
}
