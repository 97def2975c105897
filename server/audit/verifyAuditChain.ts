import { asc, gt } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { auditEvents } from '../db/schema';
import { AUDIT_GENESIS_HASH } from './appendAuditEvent';
import { hashAuditRow } from './hashAuditRow';

export type AuditChainReport =
	| { status: 'intact'; count: number; lastHash: string }
	| { status: 'broken'; count: number; brokenAtId: number; reason: 'hash-mismatch' | 'link-mismatch' };

/**
 * Walks the audit chain in id order and recomputes every hash. The first row may follow a
 * retention purge: its prev_hash is then taken as the anchor (the purge run logs it).
 */
export async function verifyAuditChain(db: Executor, batchSize = 5_000): Promise<AuditChainReport> {
	let count = 0;
	let expectedPrev: string | null = null;
	let lastId = 0;
	let lastHash = AUDIT_GENESIS_HASH;
	for (;;) {
		const rows = await db
			.select()
			.from(auditEvents)
			.where(gt(auditEvents.id, lastId))
			.orderBy(asc(auditEvents.id))
			.limit(batchSize);
		if (rows.length === 0) break;
		for (const row of rows) {
			if (expectedPrev !== null && row.prevHash !== expectedPrev) {
				return { status: 'broken', count, brokenAtId: row.id, reason: 'link-mismatch' };
			}
			const recomputed = hashAuditRow(row.prevHash, row);
			if (recomputed !== row.hash) {
				return { status: 'broken', count, brokenAtId: row.id, reason: 'hash-mismatch' };
			}
			expectedPrev = row.hash;
			lastHash = row.hash;
			lastId = row.id;
			count++;
		}
	}
	return { status: 'intact', count, lastHash };
}
