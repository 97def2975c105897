import { log } from '../log';

/**
 * postgres.js 3.4.9 defers small writes to a setImmediate; when PostgreSQL closes the connection
 * in between (a restart, a failover), the callback writes to a null socket and throws outside any
 * promise (porsager/postgres#1154, #1208, unfixed upstream). Left alone, that kills the server;
 * and the connection keeps a stale write timer, so it never writes again. This keeps the process
 * and replaces the pool; any other uncaught exception still ends the process, as Node would.
 */
export function guardPostgresDriverFaults(recyclePool: () => Promise<void>): void {
	process.on('uncaughtException', (error) => {
		if (isPostgresDriverFault(error)) {
			log('error', 'database.driver-fault', { message: error.message });
			recyclePool().then(
				() => log('warn', 'database.pool-replaced', {}),
				(e) => log('error', 'database.pool-replace-failed', { message: String(e) })
			);
			return;
		}
		console.error(error);
		process.exit(1);
	});
}

export function isPostgresDriverFault(error: unknown): error is TypeError {
	return (
		error instanceof TypeError &&
		/reading 'write'|evaluating 'socket\.write'/.test(error.message) &&
		/nextWrite/.test(error.stack ?? '')
	);
}
