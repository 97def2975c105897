import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../db/client';
import { executePrepared } from '../db/reusableQuery';
import { canonicalAuditRow } from './hashAuditRow';

export interface AuditEventInput {
	action: string;
	outcome?: AuditOutcome;
	actorId?: string | null;
	deviceId?: string | null;
	caseId?: string | null;
	personId?: string | null;
	noteId?: string | null;
	offline?: boolean;
	/** When it happened, if not now (offline journal entries). */
	occurredAt?: Date;
	details?: Record<string, unknown>;
}

/**
 * The first event's prev_hash (also in carnet_append_audit_events, migration 0004). Appends are
 * serialised by the transaction-scoped advisory lock 0x0ca2e7a1 (212002721), taken by
 * carnet_audit_chain_head() (migration 0003) and by carnet_next_version() (migration 0002).
 */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * The only way to write to the audit trail. Call it inside the transaction of the change it
 * records: the event and the change commit or roll back together. Appends are serialised by a
 * transaction-scoped advisory lock so that each row chains onto the true previous one.
 */
export async function appendAuditEvent(
	tx: Executor,
	input: AuditEventInput,
	now: Date = new Date()
): Promise<{ id: number; hash: string }> {
	const [appended] = await appendAuditEvents(tx, [{ input, now }]);
	return appended;
}

/**
 * Several events in one turn of the chain lock and one round trip: Node serialises each row,
 * PostgreSQL takes the lock, reads the last hash, chains the rows in the order given and inserts
 * them (carnet_append_audit_events, migration 0004), instead of a read, a hash in Node and an
 * INSERT: two fewer trips through this process's event loop while the lock is held. The lock
 * is held until the caller's transaction commits (recordPull's batches are one statement).
 */
export async function appendAuditEvents(
	tx: Executor,
	events: readonly { input: AuditEventInput; now: Date }[]
): Promise<{ id: number; hash: string }[]> {
	if (events.length === 0) return [];
	return chainedRows(await executePrepared(tx, sql`select id, hash from carnet_append_audit_events(${auditRowsParam(events)})`));
}

/** The events as carnet_append_audit_events takes them: one parameter, a JSON array of canonical rows. */
export function auditRowsParam(events: readonly { input: AuditEventInput; now: Date }[]): SQL {
	const rows = events.map(({ input, now }) =>
		canonicalAuditRow({
			recordedAt: now,
			occurredAt: input.occurredAt ?? now,
			actorId: input.actorId ?? null,
			deviceId: input.deviceId ?? null,
			action: input.action,
			outcome: input.outcome ?? 'success',
			caseId: input.caseId ?? null,
			personId: input.personId ?? null,
			noteId: input.noteId ?? null,
			offline: input.offline ?? false,
			details: input.details ?? {}
		})
	);
	return sql`${JSON.stringify(rows)}::jsonb`;
}

/** The appended rows (id, hash) in chain order; bigint ids as numbers whatever the driver. */
function chainedRows(result: unknown): { id: number; hash: string }[] {
	return rowsOf<{ id: number | string; hash: string }>(result).map((row) => ({ id: Number(row.id), hash: row.hash }));
}

export type AuditOutcome = 'success' | 'failure' | 'denied' | 'incident';
