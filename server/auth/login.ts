import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { burnPasswordVerification, verifyPasswordHash } from './password';
import { createSession, generateSessionToken, type Session, type SessionPolicy } from './session';
import { checkLoginThrottle, recordLoginFailure, resetLoginFailures, type ThrottlePolicy } from './throttle';

export type LoginResult =
	| { ok: true; token: string; session: Session; userId: string; mustChangePassword: boolean }
	| { ok: false; code: 'invalid-credentials' }
	| { ok: false; code: 'throttled'; retryAfterSeconds: number };

/**
 * Checks a username and password under throttling and opens a session. A wrong username,
 * a wrong password and a disabled account give the same answer; the account's throttle row is
 * locked for the whole check so parallel guesses cannot race the failure counter.
 */
export async function loginWithPassword(
	db: Database,
	input: { username: string; password: string; address: string },
	now: Date,
	policy: { session: SessionPolicy; throttle: ThrottlePolicy }
): Promise<LoginResult> {
	const username = input.username.trim().toLowerCase();
	return db.transaction(async (tx) => {
		const decision = await checkLoginThrottle(tx, username, input.address, now, policy.throttle);
		if (!decision.allowed) {
			await appendAuditEvent(
				tx,
				{ action: 'auth.login', outcome: 'denied', details: { username, reason: decision.reason } },
				now
			);
			return { ok: false, code: 'throttled', retryAfterSeconds: decision.retryAfterSeconds };
		}
		const [user] = await tx
			.select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt, mustChangePassword: users.mustChangePassword })
			.from(users)
			.where(eq(users.username, username));
		let valid = false;
		if (user) valid = await verifyPasswordHash(user.passwordHash, input.password);
		else await burnPasswordVerification(input.password);

		if (!user || !valid || user.disabledAt) {
			const { failures, locked } = await recordLoginFailure(tx, username, now, policy.throttle);
			if (user) {
				await tx
					.update(users)
					.set({ failedLogins: sql`${users.failedLogins} + 1`, lastFailedLoginAt: now, lockedUntil: locked ? new Date(now.getTime() + policy.throttle.lockMs) : undefined })
					.where(eq(users.id, user.id));
			}
			const reason = !user ? 'unknown-user' : user.disabledAt ? 'disabled' : 'bad-password';
			await appendAuditEvent(
				tx,
				{ action: 'auth.login', outcome: 'failure', actorId: user?.id ?? null, details: { username, reason, failures } },
				now
			);
			if (locked) {
				await appendAuditEvent(
					tx,
					{ action: 'auth.lock', outcome: 'incident', actorId: user?.id ?? null, details: { username, failures } },
					now
				);
			}
			return { ok: false, code: 'invalid-credentials' };
		}

		await resetLoginFailures(tx, username);
		await tx
			.update(users)
			.set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now })
			.where(eq(users.id, user.id));
		const token = generateSessionToken();
		const session = await createSession(tx, token, user.id, now, policy.session);
		await appendAuditEvent(tx, { action: 'auth.login', actorId: user.id, details: { username } }, now);
		return { ok: true, token, session, userId: user.id, mustChangePassword: user.mustChangePassword };
	});
}
