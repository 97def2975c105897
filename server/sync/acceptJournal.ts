import { and, eq, inArray, like, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { auditEvents, cases, devices, journalHeads } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { notFoundOrNoAccess } from '../trpc/appError';
import { loadPolicySubject, type UserRef } from '../policy/loadPolicySubject';
import { JOURNAL_GENESIS_MAC, type JournalEntry, type JournalInput, type JournalOutput } from '../../src/lib/shared/sync';
import { journalMac, sameMac } from './journalMac';
import { loadOwnDevice } from './registerDevice';

type Incident = JournalOutput['incidents'][number];

/**
 * sync.journal: the device's offline access journal enters the audit trail, each entry with the
 * time it happened (occurredAt) and the time received (recordedAt).
 *
 * The chain is checked from the device's journal head (last accepted seq and MAC):
 * - seq = head + 1 with the right MAC: accepted, the head moves;
 * - seq ≤ head with the MAC already accepted: a replay, ignored; with another MAC: 'fork';
 * - seq > head + 1: 'gap' (entries were deleted on the device). The entry cannot be verified (its
 *   predecessor is missing); it is recorded as an incident and the chain re-anchors on it, so
 *   that the entries after it are verified again and the device can drain its journal;
 * - a wrong MAC: 'bad-mac'; that entry and every later one of the batch are recorded as
 *   incidents, not accepted, and the head stays at the last good entry.
 * A revoked device may still send its journal: it is evidence. Everything, head included, is
 * written in one transaction.
 */
export async function acceptJournal(db: Database, user: UserRef, input: JournalInput, now: Date): Promise<JournalOutput> {
	const subject = await loadPolicySubject(db, user.id);
	if (!subject) throw notFoundOrNoAccess();
	const device = await loadOwnDevice(db, subject.id, input.deviceId);
	if (device === null || device === 'other') throw notFoundOrNoAccess();

	return db.transaction(async (tx) => {
		let [head] = await tx.select().from(journalHeads).where(eq(journalHeads.deviceId, device.id)).for('update');
		if (!head) {
			[head] = await tx.insert(journalHeads).values({ deviceId: device.id, lastSeq: 0, lastMac: JOURNAL_GENESIS_MAC, updatedAt: now }).returning();
		}
		const entries = [...input.entries].sort((a, b) => a.seq - b.seq);
		const knownCases = await existingCaseIds(tx, entries.map((e) => e.caseId));
		const incidents = new Set<Incident>();
		let lastSeq = head.lastSeq;
		let lastMac = head.lastMac;
		let brokenAtSeq: number | null = null;
		const seenInBatch = new Map<number, string>();

		/** `accepted`: the entry is part of the verified chain (its MAC answers later replays). */
		const record = (entry: JournalEntry, incident: Incident | null, accepted: boolean, extra: Record<string, unknown> = {}) => {
			if (incident) incidents.add(incident);
			return appendAuditEvent(tx, {
				action: `journal.${entry.action}`,
				outcome: incident ? 'incident' : 'success',
				actorId: subject.id,
				deviceId: device.id,
				caseId: entry.caseId,
				noteId: entry.noteId,
				offline: entry.offline,
				occurredAt: new Date(entry.at),
				details: { seq: entry.seq, mac: entry.mac, accepted, ...(incident ? { incident } : {}), ...extra }
			}, now);
		};

		for (const entry of entries) {
			const twin = seenInBatch.get(entry.seq);
			if (twin !== undefined) {
				if (!sameMac(twin, entry.mac)) await record(entry, 'fork', false, { reason: 'same seq twice in one batch' });
				continue;
			}
			seenInBatch.set(entry.seq, entry.mac);

			if (entry.seq <= lastSeq) {
				const accepted = entry.seq === lastSeq ? lastMac : await acceptedMac(tx, subject.id, device.id, entry.seq);
				if (accepted !== null && sameMac(accepted, entry.mac)) continue;
				if (await alreadyRecorded(tx, subject.id, device.id, entry)) continue;
				if (accepted === null) await record(entry, 'gap', false, { reason: 'late entry for a missing seq' });
				else await record(entry, 'fork', false, { acceptedMac: accepted });
				continue;
			}
			if (brokenAtSeq !== null) {
				if (!(await alreadyRecorded(tx, subject.id, device.id, entry))) {
					await record(entry, 'bad-mac', false, { reason: 'after a bad MAC', brokenAtSeq });
				}
				continue;
			}
			if (entry.seq > lastSeq + 1) {
				await record(entry, 'gap', true, { expectedSeq: lastSeq + 1, missing: entry.seq - lastSeq - 1 });
				lastSeq = entry.seq;
				lastMac = entry.mac;
				continue;
			}
			const { mac: _mac, ...unsigned } = entry;
			if (!sameMac(journalMac(device.journalSecret, lastMac, unsigned), entry.mac)) {
				brokenAtSeq = entry.seq;
				if (!(await alreadyRecorded(tx, subject.id, device.id, entry))) await record(entry, 'bad-mac', false);
				else incidents.add('bad-mac');
				continue;
			}
			await record(entry, knownCases.has(entry.caseId) ? null : 'unknown-case', true);
			lastSeq = entry.seq;
			lastMac = entry.mac;
		}

		await tx.update(journalHeads).set({ lastSeq, lastMac, updatedAt: now }).where(eq(journalHeads.deviceId, device.id));
		await tx.update(devices).set({ lastSeenAt: now }).where(eq(devices.id, device.id));
		return { ackSeq: lastSeq, incidents: [...incidents] };
	});
}

async function existingCaseIds(tx: Executor, ids: string[]): Promise<Set<string>> {
	const unique = [...new Set(ids)];
	if (unique.length === 0) return new Set();
	const rows = await tx.select({ id: cases.id }).from(cases).where(inArray(cases.id, unique));
	return new Set(rows.map((r) => r.id));
}

/** The MAC accepted into the chain for an earlier seq of this device, if any. */
async function acceptedMac(tx: Executor, actorId: string, deviceId: string, seq: number): Promise<string | null> {
	const [row] = await tx
		.select({ mac: sql<string>`${auditEvents.details}->>'mac'` })
		.from(auditEvents)
		.where(
			and(
				eq(auditEvents.actorId, actorId),
				eq(auditEvents.deviceId, deviceId),
				like(auditEvents.action, 'journal.%'),
				sql`${auditEvents.details}->>'seq' = ${String(seq)}`,
				sql`${auditEvents.details}->>'accepted' = 'true'`
			)
		)
		.limit(1);
	return row?.mac ?? null;
}

/** Whether this exact entry (seq and MAC) is already in the audit trail, so a resend adds nothing. */
async function alreadyRecorded(tx: Executor, actorId: string, deviceId: string, entry: JournalEntry): Promise<boolean> {
	const [row] = await tx
		.select({ id: auditEvents.id })
		.from(auditEvents)
		.where(
			and(
				eq(auditEvents.actorId, actorId),
				eq(auditEvents.deviceId, deviceId),
				like(auditEvents.action, 'journal.%'),
				sql`${auditEvents.details}->>'seq' = ${String(entry.seq)}`,
				sql`${auditEvents.details}->>'mac' = ${entry.mac}`
			)
		)
		.limit(1);
	return row !== undefined;
}
