import { encodeHexLowerCase } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { reusableQuery } from '../db/reusableQuery';
import { devices, journalHeads } from '../db/schema';
import { JOURNAL_GENESIS_MAC } from '../../src/lib/shared/sync';

/**
 * Registers a device to a user at its first pull, with a fresh 32-byte journal secret and an
 * empty journal chain. Returns the secret, or null when the id was taken meanwhile (a concurrent
 * first pull of the same device: the caller re-reads who owns it).
 */
export async function registerDevice(
	tx: Executor,
	input: { deviceId: string; userId: string; label: string | null },
	now: Date
): Promise<string | null> {
	const secret = generateJournalSecret();
	const inserted = await tx
		.insert(devices)
		.values({ id: input.deviceId, userId: input.userId, label: input.label, journalSecret: secret, createdAt: now, lastSeenAt: now })
		.onConflictDoNothing({ target: devices.id })
		.returning({ id: devices.id });
	if (inserted.length === 0) return null;
	await tx.insert(journalHeads).values({ deviceId: input.deviceId, lastSeq: 0, lastMac: JOURNAL_GENESIS_MAC, updatedAt: now });
	return secret;
}

export function generateJournalSecret(): string {
	const bytes = new Uint8Array(32);
	crypto.getRandomValues(bytes);
	return encodeHexLowerCase(bytes);
}

/** The device if it belongs to the user; 'other' when it belongs to someone else (answered as not found). */
export async function loadOwnDevice(db: Executor, userId: string, deviceId: string) {
	const [device] = await deviceRow(db, { deviceId });
	if (!device) return null;
	if (device.userId !== userId) return 'other' as const;
	return device;
}

/** Rendered once per process (server/db/reusableQuery.ts): every push and journal call reads it. */
const deviceRow = reusableQuery((db) =>
	db
		.select({ id: devices.id, userId: devices.userId, revokedAt: devices.revokedAt, wipeAcknowledgedAt: devices.wipeAcknowledgedAt, journalSecret: devices.journalSecret })
		.from(devices)
		.where(eq(devices.id, sql.placeholder('deviceId')))
);
