import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../db/client';
import { auditEvents } from '../db/schema';
import { hashAuditRow, type AuditRowContent } from './hashAuditRow';

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
 * Appends are serialised by the transaction-scoped advisory lock 0x0ca2e7a1 (212002721), taken
 * by carnet_audit_chain_head() (migration 0003) and by carnet_next_version() (migration 0002).
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
 * Several events in one turn of the chain lock: one read of the last hash and one multi-row
 * insert, chained in the order given (ids are taken in VALUES order under the lock). For
 * callers that write many events in one transaction (the pulls' group commit).
 */
export async function appendAuditEvents(
	tx: Executor,
	events: readonly { input: AuditEventInput; now: Date }[]
): Promise<{ id: number; hash: string }[]> {
	if (events.length === 0) return [];
	// Takes the chain lock, then reads the last hash (migration 0003): one round trip.
	const [head] = rowsOf<{ hash: string | null }>(await tx.execute(sql`select carnet_audit_chain_head() as hash`));
	let prevHash = head?.hash ?? AUDIT_GENESIS_HASH;
	const rows = events.map(({ input, now }) => {
		const content: AuditRowContent & { outcome: AuditOutcome } = {
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
		};
		const hash = hashAuditRow(prevHash, content);
		const row = { ...content, prevHash, hash };
		prevHash = hash;
		return row;
	});
	const inserted = await tx.insert(auditEvents).values(rows).returning({ id: auditEvents.id, hash: auditEvents.hash });
	// RETURNING follows VALUES order; checked, because the chain depends on it.
	inserted.sort((a, b) => a.id - b.id);
	if (inserted.some((row, i) => row.hash !== rows[i].hash)) throw new Error('audit append: ids out of chain order');
	return inserted;
}

export type AuditOutcome = 'success' | 'failure' | 'denied' | 'incident';
