import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { devices, users } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { notFoundOrNoAccess } from '../trpc/appError';
import { administeredOrganisationIds } from '../policy/adminScope';
import type { PolicySubject } from '../policy/loadPolicySubject';

/** Registered devices with their last sync, revocation and wipe acknowledgement (never the journal secret). */
export async function listDevices(db: Executor, admin: PolicySubject) {
	const orgIds = [...(await administeredOrganisationIds(db, admin))];
	if (orgIds.length === 0) return [];
	const rows = await db
		.select({
			id: devices.id,
			label: devices.label,
			userId: devices.userId,
			username: users.username,
			displayName: users.displayName,
			userDisabled: users.disabledAt,
			createdAt: devices.createdAt,
			lastSeenAt: devices.lastSeenAt,
			lastSyncAt: devices.lastSyncAt,
			revokedAt: devices.revokedAt,
			wipeAcknowledgedAt: devices.wipeAcknowledgedAt
		})
		.from(devices)
		.innerJoin(users, eq(users.id, devices.userId))
		.where(inArray(users.organisationId, orgIds))
		.orderBy(users.displayName, desc(devices.lastSyncAt));
	return rows.map((r) => ({
		...r,
		userDisabled: r.userDisabled !== null,
		createdAt: r.createdAt.toISOString(),
		lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
		lastSyncAt: r.lastSyncAt?.toISOString() ?? null,
		revokedAt: r.revokedAt?.toISOString() ?? null,
		wipeAcknowledgedAt: r.wipeAcknowledgedAt?.toISOString() ?? null
	}));
}

/** Revocation = remote wipe: the device's next pull answers `{ wipe: true }`; it acknowledges once done. */
export async function revokeDevice(db: Database, admin: PolicySubject, deviceId: string, now: Date) {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({ userId: devices.userId, organisationId: users.organisationId, revokedAt: devices.revokedAt })
			.from(devices)
			.innerJoin(users, eq(users.id, devices.userId))
			.where(eq(devices.id, deviceId))
			.for('update', { of: devices });
		if (!row || !(await administeredOrganisationIds(tx, admin)).has(row.organisationId)) throw notFoundOrNoAccess();
		if (row.revokedAt) return { revokedAt: row.revokedAt.toISOString(), alreadyRevoked: true };
		await tx.update(devices).set({ revokedAt: now, revokedBy: admin.id }).where(and(eq(devices.id, deviceId), isNull(devices.revokedAt)));
		await appendAuditEvent(tx, { action: 'device.revoke', actorId: admin.id, deviceId, details: { userId: row.userId } }, now);
		return { revokedAt: now.toISOString(), alreadyRevoked: false };
	});
}
