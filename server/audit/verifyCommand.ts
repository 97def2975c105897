import { parseConfig } from '../config';
import { openDatabase } from '../db/client';
import { verifyAuditChain } from './verifyAuditChain';

/** `npm run audit:verify`: walks the hash chain of the audit trail. Exit code 1 when broken. */
const config = parseConfig(process.env);
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, migrationsDir: config.MIGRATIONS_DIR });
try {
	const report = await verifyAuditChain(handle.db);
	if (report.status === 'intact') {
		console.log(`intact: ${report.count} events, last hash ${report.lastHash}`);
	} else {
		console.error(`BROKEN at audit event ${report.brokenAtId} (${report.reason}) after ${report.count} valid events`);
		process.exitCode = 1;
	}
} finally {
	await handle.close();
}
