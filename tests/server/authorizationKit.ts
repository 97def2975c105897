import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client';
import { users } from '../../server/db/schema';
import type { TestClock } from '../support/testCaller';
import { callerAs, type Caller } from './syncTestKit';

/** Helpers of the per-router authorization suites (admin.*, lead.*): a caller per role, and what a call answers. */

/** The demo accounts the suites sign in as; each suite adds a disabled account of the role it tests. */
export const demoAccountsByRole = {
	admin: 'admin.eva',
	worker: 'tisf.amelie',
	leadOfTeam: 'chef.david',
	leadOfOtherTeam: 'chef.helene',
	dpo: 'dpo.farid',
	anonymous: null
} as const;

/** Inserts a disabled account copied from `username` (same role, organisation, team); returns the original's row. */
export async function insertDisabledCopy(db: Database, username: string, copy: { username: string; displayName: string }, clock: TestClock) {
	const [original] = await db.select().from(users).where(eq(users.username, username));
	const { id: _id, version: _version, ...fields } = original;
	await db.insert(users).values({ ...fields, ...copy, disabledAt: clock.now() });
	return original;
}

/** Signs in one caller per role; a null username calls anonymously. */
export async function callersByRole<Role extends string>(db: Database, usernames: Record<Role, string | null>, clock: TestClock): Promise<Record<Role, Caller>> {
	const callers = {} as Record<Role, Caller>;
	for (const role of Object.keys(usernames) as Role[]) callers[role] = await callerAs(db, usernames[role], clock);
	return callers;
}

/** What a call answers, as the suites compare it; any other error fails the test. */
export async function outcomeOf(call: Promise<unknown>): Promise<Outcome> {
	try {
		await call;
		return 'allow';
	} catch (error) {
		if (error instanceof TRPCError) {
			if (error.message === 'forbidden') return 'forbidden';
			if (error.message === 'unauthenticated') return 'unauthenticated';
			if (error.message === 'not-found-or-no-access') return 'not-found';
		}
		throw error;
	}
}

export type Outcome = 'allow' | 'forbidden' | 'unauthenticated' | 'not-found';
