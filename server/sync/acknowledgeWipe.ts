import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { devices } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { notFoundOrNoAccess } from '../trpc/appError';
import { loadPolicySubject, type UserRef } from '../policy/loadPolicySubject';

/**
 * The device says it has deleted its local store after a `{ wipe: true }` answer (device revoked
 * or account disabled). Recorded once, audited; a device nobody asked to wipe only gets `false`.
 */
export async function acknowledgeWipe(db: Database, user: UserRef, deviceId: string, now: Date): Promise<{ acknowledged: boolean }> {
	const subject = await loadPolicySubject(db, user.id);
	if (!subject) throw notFoundOrNoAccess();
	return db.transaction(async (tx) => {
		const [device] = await tx
			.select({ userId: devices.userId, revokedAt: devices.revokedAt, wipeAcknowledgedAt: devices.wipeAcknowledgedAt })
			.from(devices)
			.where(eq(devices.id, deviceId))
			.for('update');
		if (!device || device.userId !== subject.id) throw notFoundOrNoAccess();
		const wipeRequested = device.revokedAt !== null || subject.disabled;
		if (!wipeRequested) return { acknowledged: false };
		if (device.wipeAcknowledgedAt) return { acknowledged: true };
		await tx.update(devices).set({ wipeAcknowledgedAt: now, lastSeenAt: now }).where(eq(devices.id, deviceId));
		await appendAuditEvent(tx, {
			action: 'device.wipe.acknowledged',
			actorId: subject.id,
			deviceId,
			details: { reason: device.revokedAt ? 'device-revoked' : 'user-disabled' }
		}, now);
		return { acknowledged: true };
	});
}
