import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { devices } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { hashPassword } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { resetLoginFailures } from '../auth/throttle';
import { appError } from '../trpc/appError';
import type { PolicySubject } from '../policy/loadPolicySubject';
import { generateTemporaryPassword } from './generateTemporaryPassword';
import { updateAccountAtVersion } from './updateAccountAtVersion';

/** A new temporary password (shown once), to change at next sign-in; every session is revoked and the lock lifted. */
export async function resetAccountPassword(db: Database, admin: PolicySubject, input: { userId: string; version: number }, now: Date) {
	const temporaryPassword = generateTemporaryPassword();
	const passwordHash = await hashPassword(temporaryPassword);
	return db.transaction(async (tx) => {
		const { before, version } = await updateAccountAtVersion(tx, admin, input.userId, input.version, {
			passwordHash,
			mustChangePassword: true,
			failedLogins: 0,
			lockedUntil: null,
			passwordChangedAt: now
		});
		await invalidateUserSessions(tx, input.userId);
		await resetLoginFailures(tx, before.username);
		await appendAuditEvent(tx, { action: 'account.password-reset', actorId: admin.id, details: { userId: input.userId } }, now);
		return { version, temporaryPassword };
	});
}

/**
 * Disables an account: sessions revoked at once, and every device of the user asked to wipe
 * itself at its next contact (its pull answers `{ wipe: true }`).
 */
export async function disableAccount(db: Database, admin: PolicySubject, input: { userId: string; version: number }, now: Date) {
	if (input.userId === admin.id) throw appError('BAD_REQUEST', 'cannot-disable-self');
	return db.transaction(async (tx) => {
		const { version } = await updateAccountAtVersion(tx, admin, input.userId, input.version, { disabledAt: now });
		await invalidateUserSessions(tx, input.userId);
		const wiped = await tx
			.update(devices)
			.set({ revokedAt: now, revokedBy: admin.id })
			.where(and(eq(devices.userId, input.userId), isNull(devices.revokedAt)))
			.returning({ id: devices.id });
		await appendAuditEvent(tx, { action: 'account.disable', actorId: admin.id, details: { userId: input.userId, devicesRevoked: wiped.map((d) => d.id) } }, now);
		return { version, devicesRevoked: wiped.length };
	});
}

/** Re-enables an account; it signs in again with a password change (its old devices stay wiped). */
export async function enableAccount(db: Database, admin: PolicySubject, input: { userId: string; version: number }, now: Date) {
	return db.transaction(async (tx) => {
		const { version } = await updateAccountAtVersion(tx, admin, input.userId, input.version, { disabledAt: null });
		await appendAuditEvent(tx, { action: 'account.enable', actorId: admin.id, details: { userId: input.userId } }, now);
		return { version };
	});
}

/** The access of this account has been reviewed (habilitation review): sets lastReviewAt. */
export async function markAccountReviewed(db: Database, admin: PolicySubject, input: { userId: string; version: number }, now: Date) {
	return db.transaction(async (tx) => {
		const { version } = await updateAccountAtVersion(tx, admin, input.userId, input.version, { lastReviewAt: now });
		await appendAuditEvent(tx, { action: 'account.review', actorId: admin.id, details: { userId: input.userId } }, now);
		return { version };
	});
}
