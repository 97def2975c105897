import { parseConfig } from '../config';
import { openDatabase } from '../db/client';
import { runRetention, type PlannedCase, type RetentionReport } from './runRetention';

/**
 * `tsx server/retention/retentionCommand.ts [--dry-run] [--now=ISO-8601]`
 * Runs the retention engine once, outside the daily job (which a manual run does not claim: the
 * engine is idempotent). --dry-run lists what would happen and writes nothing; --now injects the
 * clock. Exit code 2 on a bad argument.
 */
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const nowArg = args.find((a) => a.startsWith('--now='))?.slice('--now='.length);
const unknown = args.filter((a) => a !== '--dry-run' && !a.startsWith('--now='));
const now = nowArg ? new Date(nowArg) : new Date();
if (unknown.length > 0 || Number.isNaN(now.getTime())) {
	console.error('usage: retentionCommand [--dry-run] [--now=2026-11-23T09:00:00Z]');
	process.exit(2);
}

const config = parseConfig(process.env);
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, migrationsDir: config.MIGRATIONS_DIR });
try {
	const report = await runRetention(handle.db, { now, dryRun, auditRetentionDays: config.AUDIT_RETENTION_DAYS, trigger: 'command' });
	console.log(formatReport(report));
} finally {
	await handle.close();
}

function formatReport(report: RetentionReport): string {
	const verb = report.dryRun ? 'would be' : 'were';
	const line = (c: PlannedCase) => `  ${c.reference.padEnd(16)} ${c.measureType.padEnd(10)} rule ${c.rule.padEnd(17)} due ${c.dueAt.slice(0, 10)}`;
	const lines = [
		`Retention ${report.dryRun ? 'DRY RUN (nothing written)' : 'run'} at ${report.ranAt}`,
		`${report.archived.length} case(s) ${verb} archived${report.archived.length ? ':' : '.'}`,
		...report.archived.map(line),
		`${report.destroyed.length} case(s) ${verb} destroyed${report.destroyed.length ? ':' : '.'}`,
		...report.destroyed.map(line)
	];
	if (!report.dryRun) {
		const d = report.destruction;
		lines.push(
			`Deleted: ${d.persons} persons, ${d.notes} notes, ${d.noteRevisions} note revisions, ${d.visits} visits, ${d.assignments} assignments, ${d.emergencyGrants} emergency grants; ${d.tombstones} tombstones written.`
		);
	}
	lines.push(
		`Audit trail: ${report.audit.purged} event(s) recorded before ${report.audit.cutoff} ${verb} purged.`,
		report.audit.anchorHash ? `Chain anchor: event ${report.audit.anchorId}, prev_hash ${report.audit.anchorHash}` : ''
	);
	return lines.filter(Boolean).join('\n');
}
