import { TRPCError } from '@trpc/server';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../server/db/client';
import { assignments, cases, users } from '../../server/db/schema';
import { seedDemoIfEmpty } from '../../server/db/seedDemo';
import { journalMac } from '../../server/sync/journalMac';
import { JOURNAL_GENESIS_MAC, type JournalEntry, type PullOutput } from '../../src/lib/shared/sync';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/testDatabase';
import { callerFor, loadSessionUser, TestClock } from '../support/testCaller';

/** Shared helpers of the cross-cutting server suites: a seeded database, callers, journal signing. */

export const START = new Date('2026-11-23T09:00:00Z');
export const DAY = 86_400_000;

export async function seededDatabase(kind: DatabaseKind, clock: TestClock): Promise<TestDatabase> {
	const handle = await createTestDatabase(kind);
	await seedDemoIfEmpty(handle.db, clock.now());
	return handle;
}

export async function userId(db: Database, username: string): Promise<string> {
	const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
	return row.id;
}

/** Case ids with an open-ended assignment of the user, in reference order. */
export async function assignedCases(db: Database, username: string): Promise<{ id: string; reference: string }[]> {
	return db
		.select({ id: cases.id, reference: cases.reference })
		.from(assignments)
		.innerJoin(users, eq(users.id, assignments.userId))
		.innerJoin(cases, eq(cases.id, assignments.caseId))
		.where(and(eq(users.username, username), isNull(assignments.endsAt)))
		.orderBy(cases.reference);
}

export async function callerAs(db: Database, username: string | null, clock: TestClock) {
	const user = username ? await loadSessionUser(db, username) : null;
	return callerFor(db, user, { now: clock.now }).caller;
}

export type Caller = Awaited<ReturnType<typeof callerAs>>;
export type PullPage = Extract<PullOutput, { wipe: false }>;

/** Pulls until hasMore is false, as a device would, keeping what it holds. */
export async function pullAll(caller: Caller, deviceId: string, state: { cursor: string | null; held: Set<string> }) {
	const pages: PullPage[] = [];
	for (let i = 0; i < 100; i++) {
		const page = await caller.sync.pull({ deviceId, cursor: state.cursor, heldCaseIds: [...state.held] });
		if (page.wipe) throw new Error('unexpected wipe');
		pages.push(page);
		for (const id of page.revokedCaseIds) state.held.delete(id);
		for (const c of page.cases) state.held.add(c.id);
		state.cursor = page.cursor;
		if (!page.hasMore) return pages;
	}
	throw new Error('pull never finished');
}

/** Signs journal entries the way a device does, chaining from `prevMac`. */
export function signEntries(secret: string, entries: Omit<JournalEntry, 'mac'>[], prevMac = JOURNAL_GENESIS_MAC): JournalEntry[] {
	const signed: JournalEntry[] = [];
	let mac = prevMac;
	for (const entry of entries) {
		mac = journalMac(secret, mac, entry);
		signed.push({ ...entry, mac });
	}
	return signed;
}

export async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof TRPCError) return error;
		throw error;
	}
	throw new Error('expected an error');
}
