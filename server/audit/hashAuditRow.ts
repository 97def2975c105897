import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

export interface AuditRowContent {
	recordedAt: Date;
	occurredAt: Date;
	actorId: string | null;
	deviceId: string | null;
	action: string;
	outcome: string;
	caseId: string | null;
	personId: string | null;
	noteId: string | null;
	offline: boolean;
	details: unknown;
}

/**
 * hash = sha256(prev_hash || canonical row), hex. Appends compute it in PostgreSQL from the same
 * canonical text (carnet_append_audit_events, migration 0004); the verifier computes it here.
 */
export function hashAuditRow(prevHash: string, row: AuditRowContent): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(prevHash + canonicalAuditRow(row))));
}

/** The row as hashed: a JSON array in a fixed order, object keys sorted at every depth. */
export function canonicalAuditRow(row: AuditRowContent): string {
	return canonicalJson([
		row.recordedAt.toISOString(),
		row.occurredAt.toISOString(),
		row.actorId,
		row.deviceId,
		row.action,
		row.outcome,
		row.caseId,
		row.personId,
		row.noteId,
		row.offline,
		row.details
	]);
}

/** JSON with object keys sorted at every depth, so that jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
		return Object.fromEntries(
			Object.keys(value as Record<string, unknown>)
				.sort()
				.map((key) => [key, sortKeys((value as Record<string, unknown>)[key])])
		);
	}
	return value;
}
