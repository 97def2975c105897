import { asc, lt, sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../db/client';
import { auditEvents } from '../db/schema';

/**
 * Deletes audit events recorded before the cutoff through purge_audit_events() (migration 0001,
 * the only path the append-only trigger lets through). Run it in the transaction that then logs
 * the purge: the anchor is the prev_hash of the first remaining row, from which verifyAuditChain
 * checks the rest of the chain.
 */
export async function purgeAuditTrail(tx: Executor, cutoff: Date): Promise<AuditPurgeReport> {
	const result = await tx.execute(sql`select purge_audit_events(${cutoff.toISOString()}::timestamptz) as purged`);
	const purged = Number(rowsOf<{ purged: number }>(result)[0]?.purged ?? 0);
	const [first] = await tx
		.select({ id: auditEvents.id, prevHash: auditEvents.prevHash })
		.from(auditEvents)
		.orderBy(asc(auditEvents.id))
		.limit(1);
	return { cutoff: cutoff.toISOString(), purged, anchorId: first?.id ?? null, anchorHash: first?.prevHash ?? null };
}

/** How many events a purge at this cutoff would delete (dry run). */
export async function countPurgeableAuditEvents(db: Executor, cutoff: Date): Promise<number> {
	const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(lt(auditEvents.recordedAt, cutoff));
	return Number(row?.n ?? 0);
}

export interface AuditPurgeReport {
	cutoff: string;
	purged: number;
	/** First remaining event and its prev_hash: the anchor the chain is verified from. */
	anchorId: number | null;
	anchorHash: string | null;
}
