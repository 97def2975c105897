import type { Database } from '../db/client';
import { appendAuditEvent } from './appendAuditEvent';
import type { AuditScope } from './auditScopeFor';
import { auditConditions, selectAuditRows, type AuditFilters, type AuditRow } from './searchAuditEvents';

/** An extract is for a question (one case, one user, one month), not a dump of the trail. */
export const AUDIT_EXPORT_MAX_ROWS = 10_000;

/**
 * An extract of the audit trail as CSV (French spreadsheet: semicolons, UTF-8 BOM) or JSON.
 * The export is itself an audit event ('audit.export'), written with the filters and the count
 * in the same transaction as the read.
 */
export async function exportAuditExtract(
	db: Database,
	scope: AuditScope,
	input: { filters: AuditFilters; format: 'csv' | 'json'; actorId: string },
	now: Date
): Promise<{ filename: string; mimeType: string; content: string; rows: number; truncated: boolean }> {
	return db.transaction(async (tx) => {
		const where = await auditConditions(tx, scope, input.filters);
		const rows = where ? await selectAuditRows(tx, where, AUDIT_EXPORT_MAX_ROWS + 1) : [];
		const truncated = rows.length > AUDIT_EXPORT_MAX_ROWS;
		const kept = rows.slice(0, AUDIT_EXPORT_MAX_ROWS);
		await appendAuditEvent(
			tx,
			{ action: 'audit.export', actorId: input.actorId, details: { format: input.format, filters: input.filters, rows: kept.length, truncated } },
			now
		);
		const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
		if (input.format === 'json') {
			const content = JSON.stringify({ exportedAt: now.toISOString(), filters: input.filters, truncated, events: kept }, null, 2);
			return { filename: `journal-audit-${stamp}.json`, mimeType: 'application/json', content, rows: kept.length, truncated };
		}
		return { filename: `journal-audit-${stamp}.csv`, mimeType: 'text/csv;charset=utf-8', content: toCsv(kept), rows: kept.length, truncated };
	});
}

const columns: [string, (row: AuditRow) => unknown][] = [
	['id', (r) => r.id],
	['survenu_le', (r) => r.occurredAt],
	['enregistre_le', (r) => r.recordedAt],
	['utilisateur', (r) => r.actorUsername],
	['nom', (r) => r.actorName],
	['role', (r) => r.actorRole],
	['appareil', (r) => r.deviceId],
	['libelle_appareil', (r) => r.deviceLabel],
	['action', (r) => r.action],
	['resultat', (r) => r.outcome],
	['hors_ligne', (r) => (r.offline ? 'oui' : 'non')],
	['dossier', (r) => r.caseReference ?? r.caseId],
	['personne', (r) => r.personId],
	['note', (r) => r.noteId],
	['details', (r) => JSON.stringify(r.details)],
	['empreinte', (r) => r.hash]
];

export function toCsv(rows: AuditRow[]): string {
	const lines = [columns.map(([name]) => name).join(';'), ...rows.map((row) => columns.map(([, get]) => csvCell(get(row))).join(';'))];
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Quotes every cell, and defuses spreadsheet formulas (a cell starting with = + - @ is text). */
export function csvCell(value: unknown): string {
	if (value === null || value === undefined) return '';
	let text = String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return `"${text.replaceAll('"', '""')}"`;
}
