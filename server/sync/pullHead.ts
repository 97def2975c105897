import { eq, sql, type SQL } from 'drizzle-orm';
import { unionAll, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client';
import { cases, devices, journalHeads, notes, organisations, persons, tombstones, users, visits } from '../db/schema';
import { caseGrantBranches } from '../policy/caseAccessFor';
import { policySubjectColumns, toPolicySubject, type PolicySubject } from '../policy/loadPolicySubject';

/**
 * What sync.pull must know before reading any row, in one prepared statement (one round trip,
 * one snapshot, SQL built once per process): the user as the policy sees them, whose device it
 * is and whether it is revoked, the organisation's device policy, the journal ack, the case ids
 * the device may hold now (the same grant branches as server/policy, embedded), and whether any
 * of the cases the device holds changed since its cursor.
 *
 * Most pulls end here: a device that holds exactly the cases it may hold, none of which changed.
 * pullChanges answers those from this row alone and takes the full path for anything else.
 */
export interface PullHead {
	subject: PolicySubject;
	/** The device's owner, null when the id is not registered. */
	deviceUserId: string | null;
	deviceRevoked: boolean;
	lockTimeoutSeconds: number;
	maxOfflineDays: number;
	journalAckSeq: number;
	/** Case ids the device may hold now (no team view). */
	allowedCaseIds: string[];
	/** Whether a held case has a row with a version above the cursor. */
	changed: boolean;
}

export async function readPullHead(
	db: Database,
	input: { userId: string; deviceId: string; heldCaseIds: readonly string[]; cursor: number; now: Date }
): Promise<PullHead | null> {
	let prepared = statements.get(db);
	if (!prepared) statements.set(db, (prepared = preparePullHead(db)));
	const [row] = await prepared.execute({
		userId: input.userId,
		deviceId: input.deviceId,
		// One text parameter whatever the number of ids: the statement's text never changes.
		held: input.heldCaseIds.join(','),
		// As text: the driver serialises a bigint parameter from a string, not from a number.
		cursor: String(input.cursor),
		// A placeholder compared with a column is sent as is (drizzle wraps only values in the
		// column's encoder): an ISO string, which both drivers send as text.
		now: input.now.toISOString()
	});
	if (!row) return null;
	return {
		subject: toPolicySubject(row),
		deviceUserId: row.deviceUserId,
		deviceRevoked: row.deviceRevoked === true,
		lockTimeoutSeconds: row.lockTimeoutSeconds,
		maxOfflineDays: row.maxOfflineDays,
		journalAckSeq: row.journalAckSeq,
		allowedCaseIds: row.allowed ? row.allowed.split(',') : [],
		changed: row.changed
	};
}

const statements = new WeakMap<Database, ReturnType<typeof preparePullHead>>();

function preparePullHead(db: Database) {
	const p = {
		userId: sql.placeholder('userId'),
		deviceId: sql.placeholder('deviceId'),
		held: sql.placeholder('held'),
		cursor: sql.placeholder('cursor'),
		now: sql.placeholder('now')
	};
	const [assigned, covered, emergencies] = caseGrantBranches(db, { userId: p.userId, now: p.now });
	const grants = db.$with('device_grants').as(unionAll(assigned, covered, emergencies));
	const held = sql`string_to_array(${p.held}::text, ',')::uuid[]`;
	const changedIn = (table: typeof cases | typeof persons | typeof notes | typeof visits | typeof tombstones, caseColumn: AnyPgColumn): SQL =>
		sql`exists (select 1 from ${table} where ${caseColumn} = any(${held}) and ${table.version} > ${p.cursor}::bigint)`;
	const device = (column: AnyPgColumn) => sql`(select ${column} from ${devices} where ${devices.id} = ${p.deviceId}::uuid)`;
	return db
		.with(grants)
		.select({
			...policySubjectColumns,
			deviceUserId: sql<string | null>`${device(devices.userId)}`,
			deviceRevoked: sql<boolean | null>`(${device(devices.revokedAt)}) is not null`,
			lockTimeoutSeconds: organisations.lockTimeoutSeconds,
			maxOfflineDays: organisations.maxOfflineDays,
			journalAckSeq: sql<number>`coalesce((select ${journalHeads.lastSeq} from ${journalHeads} where ${journalHeads.deviceId} = ${p.deviceId}::uuid), 0)`.mapWith(Number),
			allowed: sql<string | null>`(select string_agg(distinct ${grants.caseId}::text, ',') from ${grants})`,
			changed: sql<boolean>`(${changedIn(cases, cases.id)} or ${changedIn(persons, persons.caseId)} or ${changedIn(notes, notes.caseId)} or ${changedIn(visits, visits.caseId)} or ${changedIn(tombstones, tombstones.caseId)})`.mapWith(Boolean)
		})
		.from(users)
		.innerJoin(organisations, eq(organisations.id, users.organisationId))
		.where(eq(users.id, p.userId))
		.prepare('carnet_pull_head');
}
