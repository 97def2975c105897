import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { groupCommit } from '../db/groupCommit';
import { executePrepared } from '../db/reusableQuery';
import { auditRowsParam } from '../audit/appendAuditEvent';
import { deviceParams } from './touchDevices';

/** What a pull of a registered device writes once its page is read: the device row and its audit event. */
export interface PullRecord {
	deviceId: string;
	deviceLabel: string | null;
	actorId: string;
	details: Record<string, unknown>;
	now: Date;
	/**
	 * Whether the pull sent anything (rows, revocations). Such a record is flushed to disk before
	 * the pull answers. A pull that sent nothing is a heartbeat: its record commits without
	 * waiting for the WAL flush (synchronous_commit off, for that transaction only); a crash in
	 * the next fraction of a second may lose it, never corrupt the chain.
	 */
	durable: boolean;
}

/**
 * The pulls' writes, group-committed (server/db/groupCommit.ts): every audit append takes the
 * one chain lock until its transaction commits, so one transaction per pull would line all
 * pulls up behind a lock held across a WAL flush. A batch is one prepared statement whatever
 * its size (carnet_record_pulls, migration 0004: the devices touched, then the events appended,
 * in the statement's own transaction; executePrepared), so a batch costs one round trip: no
 * BEGIN, no COMMIT, no Describe, no trip through this process's event loop while the chain lock
 * is held. Each record's device row and audit event commit together, before its pull answers.
 */
export async function recordPull(db: Database, record: PullRecord): Promise<void> {
	await writeGrouped(db, [record]);
}

/** At most this many pulls share a transaction (bounds the time the chain lock is held). */
const MAX_BATCH = 64;

const writeGrouped = groupCommit(writeRecords, { maxBatch: MAX_BATCH, transaction: false });

async function writeRecords(db: Executor, records: PullRecord[]): Promise<void[]> {
	const durable = records.some((r) => r.durable);
	const devices = deviceParams(records.map((r) => ({ deviceId: r.deviceId, at: r.now, label: r.deviceLabel })));
	const events = auditRowsParam(
		records.map((record) => ({
			input: { action: 'sync.pull', actorId: record.actorId, deviceId: record.deviceId, details: record.details },
			now: record.now
		}))
	);
	await executePrepared(db, sql`select id from carnet_record_pulls(${devices}, ${events}, ${durable})`);
	return records.map(() => undefined);
}
