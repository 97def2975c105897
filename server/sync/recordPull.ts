import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { devices } from '../db/schema';
import { appendAuditEvents } from '../audit/appendAuditEvent';

/** What a pull of a registered device writes once its page is read: the device row and its audit event. */
export interface PullRecord {
	deviceId: string;
	deviceLabel: string | null;
	actorId: string;
	details: Record<string, unknown>;
	now: Date;
}

type Waiting = PullRecord & { resolve: () => void; reject: (error: unknown) => void };

/**
 * Group commit of the pulls' writes. Every audit append takes the one chain lock until its
 * transaction commits, so one transaction per pull lines all pulls up behind a lock held across
 * a WAL flush. Here the pulls that arrive while a transaction is committing wait for the next
 * one and go in together: one commit, one turn of the lock, for all of them. Alone, a pull goes
 * at once, as before. A batch costs three statements (writeRecords). Each record's device row
 * and audit event still commit together, before its pull answers. If a shared transaction fails, each record is retried on its own, so that one
 * failure fails only its own pull.
 */
export function recordPull(db: Database, record: PullRecord): Promise<void> {
	let queue = queues.get(db);
	if (!queue) queues.set(db, (queue = { waiting: [], flushing: false }));
	const q = queue;
	return new Promise<void>((resolve, reject) => {
		q.waiting.push({ ...record, resolve, reject });
		if (!q.flushing) void flush(db, q);
	});
}

/** At most this many pulls share a transaction (bounds the time the chain lock is held). */
const MAX_BATCH = 64;

type Queue = { waiting: Waiting[]; flushing: boolean };
const queues = new WeakMap<Database, Queue>();

async function flush(db: Database, queue: Queue): Promise<void> {
	queue.flushing = true;
	try {
		while (queue.waiting.length > 0) {
			const batch = queue.waiting.splice(0, MAX_BATCH);
			try {
				await db.transaction((tx) => writeRecords(tx, batch));
				for (const record of batch) record.resolve();
			} catch (error) {
				if (batch.length === 1) {
					batch[0].reject(error);
					continue;
				}
				for (const record of batch) {
					await db.transaction((tx) => writeRecords(tx, [record])).then(record.resolve, record.reject);
				}
			}
		}
	} finally {
		queue.flushing = false;
	}
}

/** Three statements whatever the batch size: the device rows, then the events in one turn of the chain lock. */
async function writeRecords(tx: Executor, records: PullRecord[]): Promise<void> {
	// Sorted, so that two processes flushing at once lock device rows in the same order.
	const byDevice = [...records].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
	const values = sql.join(
		byDevice.map((r) => sql`(${r.deviceId}::uuid, ${r.now.toISOString()}::timestamptz, ${r.deviceLabel}::text)`),
		sql`, `
	);
	await tx.execute(sql`
		update ${devices} set last_seen_at = v.at, last_sync_at = v.at, label = coalesce(v.label, ${devices.label})
		from (values ${values}) as v(id, at, label) where ${devices.id} = v.id`);
	await appendAuditEvents(
		tx,
		records.map((record) => ({
			input: { action: 'sync.pull', actorId: record.actorId, deviceId: record.deviceId, details: record.details },
			now: record.now
		}))
	);
}
