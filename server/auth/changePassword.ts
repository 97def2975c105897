import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { hashPassword, verifyPasswordHash } from './password';
import { checkPasswordPolicy } from './passwordPolicy';
import { createSession, generateSessionToken, invalidateUserSessions, type Session, type SessionPolicy } from './session';
import { recordLoginFailure, resetLoginFailures, type ThrottlePolicy } from './throttle';

export type ChangePasswordResult =
	| { ok: true; token: string; session: Session }
	| { ok: false; code: 'invalid-credentials' | 'password-reused' }
	| { ok: false; code: 'password-too-weak'; reasons: string[] };

/**
 * Changes a user's password: the current one must be right (a wrong one counts as a failed
 * login, so a stolen session cannot brute-force it), the new one must meet the CNIL policy.
 * Every session of the user is revoked and a fresh one is returned for this browser.
 */
export async function changePassword(
	db: Database,
	input: { userId: string; currentPassword: string; newPassword: string },
	now: Date,
	policy: { session: SessionPolicy; throttle: ThrottlePolicy }
): Promise<ChangePasswordResult> {
	return db.transaction(async (tx) => {
		const [user] = await tx
			.select({ id: users.id, username: users.username, passwordHash: users.passwordHash })
			.from(users)
			.where(eq(users.id, input.userId))
			.for('update');
		if (!user || !(await verifyPasswordHash(user.passwordHash, input.currentPassword))) {
			if (user) await recordLoginFailure(tx, user.username, now, policy.throttle);
			await appendAuditEvent(tx, { action: 'auth.password-change', outcome: 'failure', actorId: input.userId, details: { reason: 'bad-current-password' } }, now);
			return { ok: false, code: 'invalid-credentials' };
		}
		const reasons = checkPasswordPolicy(input.newPassword, user.username);
		if (reasons.length > 0) return { ok: false, code: 'password-too-weak', reasons };
		if (input.newPassword === input.currentPassword) return { ok: false, code: 'password-reused' };

		await tx
			.update(users)
			.set({ passwordHash: await hashPassword(input.newPassword), mustChangePassword: false, passwordChangedAt: now })
			.where(eq(users.id, user.id));
		await resetLoginFailures(tx, user.username);
		await invalidateUserSessions(tx, user.id);
		const token = generateSessionToken();
		const session = await createSession(tx, token, user.id, now, policy.session);
		await appendAuditEvent(tx, { action: 'auth.password-change', actorId: user.id }, now);
		return { ok: true, token, session };
	});
}
