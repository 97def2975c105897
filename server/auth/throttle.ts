import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { loginThrottles } from '../db/schema';

/**
 * Login throttling held in the database (so it holds across processes and restarts).
 * Per account: a growing delay after each failure, a temporary lock after 5 in a row.
 * The account key is the typed username, whether or not it exists: no existence oracle.
 * Per client address: a plain rate limit over a window.
 */

export const LOCK_AFTER_FAILURES = 5;
/** Delay before the next try after the n-th consecutive failure (n = 1..4), in seconds. */
const DELAYS_SECONDS = [0, 1, 2, 4, 8];

export interface ThrottlePolicy {
	maxPerAddress: number;
	addressWindowMs: number;
	lockMs: number;
}

export type ThrottleDecision =
	| { allowed: true }
	| { allowed: false; reason: 'account-locked' | 'account-delay' | 'address-limit'; retryAfterSeconds: number };

export function accountThrottleKey(username: string): string {
	return `account:${username}`;
}

export function addressThrottleKey(address: string): string {
	return `ip:${address}`;
}

/** Locks (FOR UPDATE) and returns the throttle row, creating it when missing. */
async function lockThrottleRow(tx: Executor, key: string, now: Date) {
	await tx.insert(loginThrottles).values({ key, windowStart: now }).onConflictDoNothing();
	const [row] = await tx.select().from(loginThrottles).where(eq(loginThrottles.key, key)).for('update');
	return row;
}

/** Counts this attempt against the address and tells whether it may be evaluated at all. */
export async function checkLoginThrottle(
	tx: Executor,
	username: string,
	address: string,
	now: Date,
	policy: ThrottlePolicy
): Promise<ThrottleDecision> {
	const addressRow = await lockThrottleRow(tx, addressThrottleKey(address), now);
	const windowOver = now.getTime() - addressRow.windowStart.getTime() >= policy.addressWindowMs;
	const attempts = windowOver ? 1 : addressRow.attempts + 1;
	await tx
		.update(loginThrottles)
		.set({ attempts, windowStart: windowOver ? now : addressRow.windowStart })
		.where(eq(loginThrottles.key, addressRow.key));
	if (attempts > policy.maxPerAddress) {
		const windowEnd = (windowOver ? now : addressRow.windowStart).getTime() + policy.addressWindowMs;
		return { allowed: false, reason: 'address-limit', retryAfterSeconds: secondsUntil(windowEnd, now) };
	}
	const account = await lockThrottleRow(tx, accountThrottleKey(username), now);
	if (account.lockedUntil && account.lockedUntil > now) {
		return { allowed: false, reason: 'account-locked', retryAfterSeconds: secondsUntil(account.lockedUntil.getTime(), now) };
	}
	if (account.nextAttemptAt && account.nextAttemptAt > now) {
		return { allowed: false, reason: 'account-delay', retryAfterSeconds: secondsUntil(account.nextAttemptAt.getTime(), now) };
	}
	return { allowed: true };
}

/** Records a failed password check; returns whether this failure locked the account. */
export async function recordLoginFailure(
	tx: Executor,
	username: string,
	now: Date,
	policy: ThrottlePolicy
): Promise<{ failures: number; locked: boolean }> {
	const key = accountThrottleKey(username);
	const row = await lockThrottleRow(tx, key, now);
	const lockExpired = row.lockedUntil !== null && row.lockedUntil <= now;
	const failures = (lockExpired ? 0 : row.failures) + 1;
	const locked = failures >= LOCK_AFTER_FAILURES;
	await tx
		.update(loginThrottles)
		.set({
			failures,
			lockedUntil: locked ? new Date(now.getTime() + policy.lockMs) : null,
			nextAttemptAt: locked ? null : new Date(now.getTime() + DELAYS_SECONDS[failures] * 1000)
		})
		.where(eq(loginThrottles.key, key));
	return { failures, locked };
}

export async function resetLoginFailures(tx: Executor, username: string): Promise<void> {
	await tx
		.update(loginThrottles)
		.set({ failures: 0, lockedUntil: null, nextAttemptAt: null })
		.where(eq(loginThrottles.key, accountThrottleKey(username)));
}

/** Drops expired rows; called by the daily job so the table does not grow forever. */
export async function purgeLoginThrottles(tx: Executor, before: Date): Promise<void> {
	await tx.execute(
		sql`delete from login_throttles where window_start < ${before} and (locked_until is null or locked_until < ${before})`
	);
}

function secondsUntil(at: number, now: Date): number {
	return Math.max(1, Math.ceil((at - now.getTime()) / 1000));
}
