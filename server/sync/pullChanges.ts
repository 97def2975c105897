import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database, Executor } from '../db/client';
import { cases, devices, journalHeads, notes, organisations, persons, tombstones, visits } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { notFoundOrNoAccess } from '../trpc/appError';
import { listCaseGrants } from '../policy/caseAccessFor';
import { loadPolicySubject, type PolicySubject, type UserRef } from '../policy/loadPolicySubject';
import type { PullInput, PullOutput } from '../../src/lib/shared/sync';
import { countCaseRows, readChangedRows, readWholeCases, type CaseRows } from './readCaseRows';
import { loadOwnDevice, registerDevice } from './registerDevice';
import { recordPull } from './recordPull';
import { readPullHead } from './pullHead';
import { toCaseRecord, toNoteRecord, toPersonRecord, toTombstone, toVisitRecord } from './toWireRecords';

/** Rows per page of a pull (a new case larger than this still comes whole, alone on its page). */
export const PULL_PAGE_ROWS = 1_000;

/**
 * sync.pull. The allowed set is recomputed from the database on every call. A page holds, in
 * this order:
 *  1. changes (version > cursor) to the cases the device holds and may still hold, lowest
 *     versions first, at most `pageRows` rows: when cut, the cursor returned is the version of
 *     the last row sent, so that every change at or below it has been delivered;
 *  2. with the room left, whole new cases (allowed − held), never split across pages: a case
 *     the device has not received stays "new" until it comes in full.
 * When (1) is complete the cursor moves to the highest version sent. `hasMore` tells the device
 * to pull again at once, after adding the cases it received to heldCaseIds. The reads run in one
 * repeatable-read snapshot; the device row and the single audit event are written afterwards, in
 * one transaction (which concurrent pulls share: recordPull), before anything is returned.
 */
export async function pullChanges(
	db: Database,
	user: UserRef,
	input: PullInput,
	now: Date,
	pageRows = PULL_PAGE_ROWS
): Promise<PullOutput> {
	if (input.cursor !== null) {
		const unchanged = await answerUnchanged(db, user, input, now);
		if (unchanged) return unchanged;
	}
	const subject = await loadPolicySubject(db, user.id);
	if (!subject) throw notFoundOrNoAccess();
	const device = await loadOwnDevice(db, subject.id, input.deviceId);
	if (device === 'other') throw notFoundOrNoAccess();

	if (subject.disabled || device?.revokedAt) {
		await db.transaction(async (tx) => {
			if (device) await tx.update(devices).set({ lastSeenAt: now }).where(eq(devices.id, input.deviceId));
			await appendAuditEvent(tx, {
				action: 'sync.pull',
				outcome: 'denied',
				actorId: subject.id,
				deviceId: input.deviceId,
				details: { wipe: true, reason: subject.disabled ? 'user-disabled' : 'device-revoked' }
			}, now);
		});
		return { wipe: true };
	}

	const page = await db.transaction((tx) => readPage(tx, subject, input, pageRows, now), {
		isolationLevel: 'repeatable read',
		accessMode: 'read only'
	});

	if (device) {
		// The answer of the registering pull may have been lost: a device that never applied a
		// page and never had a journal entry accepted gets its secret again.
		const journalSecret = input.cursor === null && page.output.journalAckSeq === 0 ? device.journalSecret : null;
		await recordPull(db, {
			deviceId: input.deviceId,
			deviceLabel: input.deviceLabel ?? null,
			actorId: subject.id,
			details: { ...page.audit, registered: false },
			now,
			durable: true
		});
		return { ...page.output, journalSecret, serverTime: now.toISOString() };
	}

	const journalSecret = await db.transaction(async (tx) => {
		const secret = await registerDevice(tx, { deviceId: input.deviceId, userId: subject.id, label: input.deviceLabel ?? null }, now);
		// A concurrent first pull registered it: fine if for this user, refused otherwise.
		if (secret === null && (await loadOwnDevice(tx, subject.id, input.deviceId)) === 'other') throw notFoundOrNoAccess();
		await tx
			.update(devices)
			.set({ lastSeenAt: now, lastSyncAt: now, ...(input.deviceLabel ? { label: input.deviceLabel } : {}) })
			.where(eq(devices.id, input.deviceId));
		await appendAuditEvent(tx, {
			action: 'sync.pull',
			actorId: subject.id,
			deviceId: input.deviceId,
			details: { ...page.audit, registered: true }
		}, now);
		return secret;
	});

	return { ...page.output, journalSecret, serverTime: now.toISOString() };
}

/**
 * The common pull, answered from one statement (readPullHead): a registered, unrevoked device of
 * an active worker or lead that holds exactly the cases it may hold, none changed since its
 * cursor. It answers what the full path would answer (nothing to send, the same cursor) and
 * records the same audit event. Anything else returns null and takes the full path, which
 * decides again from scratch: this path never sends a row, so it cannot send one too many.
 */
async function answerUnchanged(db: Database, user: UserRef, input: PullInput, now: Date): Promise<PullOutput | null> {
	const cursor = Number(input.cursor ?? '0');
	const head = await readPullHead(db, { userId: user.id, deviceId: input.deviceId, heldCaseIds: input.heldCaseIds, cursor, now });
	if (!head || head.changed || head.subject.disabled || head.deviceRevoked || head.deviceUserId !== head.subject.id) return null;
	if (head.subject.role !== 'worker' && head.subject.role !== 'lead') return null;
	const held = new Set(input.heldCaseIds);
	const allowed = new Set(head.allowedCaseIds);
	if (held.size !== allowed.size || head.allowedCaseIds.some((id) => !held.has(id))) return null;

	await recordPull(db, {
		deviceId: input.deviceId,
		deviceLabel: input.deviceLabel ?? null,
		actorId: head.subject.id,
		details: { caseIds: [], newCaseIds: [], revokedCaseIds: [], rows: 0, cursor: String(cursor), nextCursor: String(cursor), hasMore: false, registered: false },
		now,
		durable: false
	});
	return {
		wipe: false,
		cursor: String(cursor),
		hasMore: false,
		revokedCaseIds: [],
		cases: [],
		persons: [],
		notes: [],
		visits: [],
		tombstones: [],
		policy: { lockTimeoutSeconds: head.lockTimeoutSeconds, maxOfflineDays: head.maxOfflineDays },
		journalAckSeq: head.journalAckSeq,
		journalSecret: null,
		serverTime: now.toISOString()
	};
}

async function readPage(tx: Executor, subject: PolicySubject, input: PullInput, pageRows: number, now: Date) {
	const access = new Map((await listCaseGrants(tx, subject, now)).filter((g) => g.access.kind !== 'team').map((g) => [g.caseId, g.access]));
	const held = new Set(input.heldCaseIds);
	const revokedCaseIds = [...held].filter((id) => !access.has(id)).sort();
	const keptCaseIds = [...held].filter((id) => access.has(id));
	const newCaseIds = [...access.keys()].filter((id) => !held.has(id)).sort();
	const cursorIn = Number(input.cursor ?? '0');
	const [meta] = await readPageMeta(tx, subject.organisationId, input.deviceId, keptCaseIds, cursorIn);

	// 1. Changes to held cases, merged across tables in version order.
	let changes: StreamItem[] = [];
	if (meta?.changed) {
		changes = streamOf(await readChangedRows(tx, keptCaseIds, cursorIn, pageRows + 1, subject.id)).sort((a, b) => a.version - b.version);
	}
	const changesCut = changes.length > pageRows;
	if (changesCut) changes = changes.slice(0, pageRows);

	// 2. Whole new cases, as many as fit.
	const wholeCaseIds: string[] = [];
	if (!changesCut && newCaseIds.length > 0) {
		const sizes = await countCaseRows(tx, newCaseIds, subject.id);
		let room = pageRows - changes.length;
		for (const id of newCaseIds) {
			const size = sizes.get(id) ?? 1;
			const alone = changes.length === 0 && wholeCaseIds.length === 0;
			if (size > room && !alone) break;
			wholeCaseIds.push(id);
			room -= size;
		}
	}
	const whole = wholeCaseIds.length > 0 ? streamOf(await readWholeCases(tx, wholeCaseIds, subject.id)) : [];
	const items = [...changes, ...whole];

	const cursorOut = changesCut
		? changes[changes.length - 1].version
		: items.reduce((max, item) => Math.max(max, item.version), cursorIn);
	const hasMore = changesCut || wholeCaseIds.length < newCaseIds.length;
	const sentCaseIds = [...new Set(items.map((item) => item.caseId))].sort();

	const output = {
		wipe: false as const,
		cursor: String(cursorOut),
		hasMore,
		revokedCaseIds,
		cases: items.flatMap((i) => (i.kind === 'case' ? [toCaseRecord(i.row, access.get(i.row.id)!)] : [])),
		persons: items.flatMap((i) => (i.kind === 'person' ? [toPersonRecord(i.row)] : [])),
		notes: items.flatMap((i) => (i.kind === 'note' ? [toNoteRecord(i.row, subject.habilitations)] : [])),
		visits: items.flatMap((i) => (i.kind === 'visit' ? [toVisitRecord(i.row)] : [])),
		tombstones: items.flatMap((i) => (i.kind === 'tombstone' ? [toTombstone(i.row)] : [])),
		policy: { lockTimeoutSeconds: meta?.lockTimeoutSeconds ?? 300, maxOfflineDays: meta?.maxOfflineDays ?? 7 },
		journalAckSeq: meta?.journalAckSeq ?? 0
	};
	const audit = {
		caseIds: sentCaseIds,
		newCaseIds: wholeCaseIds,
		revokedCaseIds,
		rows: items.length,
		cursor: String(cursorIn),
		nextCursor: output.cursor,
		hasMore
	};
	return { output, audit };
}

/**
 * One round trip for what every pull needs: the organisation's device policy, the journal ack,
 * and whether any held case changed since the cursor (an unchanged device stops there).
 */
function readPageMeta(tx: Executor, organisationId: string, deviceId: string, caseIds: string[], cursor: number) {
	const changedIn = (table: typeof cases | typeof persons | typeof notes | typeof visits | typeof tombstones, caseColumn: AnyPgColumn) =>
		sql`exists (${tx.select({ one: sql`1` }).from(table).where(and(inArray(caseColumn, caseIds), gt(table.version, cursor)))})`;
	const changed =
		caseIds.length === 0
			? sql<boolean>`false`
			: sql<boolean>`(${changedIn(cases, cases.id)} or ${changedIn(persons, persons.caseId)} or ${changedIn(notes, notes.caseId)} or ${changedIn(visits, visits.caseId)} or ${changedIn(tombstones, tombstones.caseId)})`;
	return tx
		.select({
			lockTimeoutSeconds: organisations.lockTimeoutSeconds,
			maxOfflineDays: organisations.maxOfflineDays,
			journalAckSeq: sql<number>`coalesce((select ${journalHeads.lastSeq} from ${journalHeads} where ${journalHeads.deviceId} = ${deviceId}), 0)`.mapWith(Number),
			changed: changed.mapWith(Boolean)
		})
		.from(organisations)
		.where(eq(organisations.id, organisationId));
}

type StreamItem =
	| { kind: 'case'; version: number; caseId: string; row: CaseRows['caseRows'][number] }
	| { kind: 'person'; version: number; caseId: string; row: CaseRows['personRows'][number] }
	| { kind: 'note'; version: number; caseId: string; row: CaseRows['noteRows'][number] }
	| { kind: 'visit'; version: number; caseId: string; row: CaseRows['visitRows'][number] }
	| { kind: 'tombstone'; version: number; caseId: string; row: CaseRows['tombstoneRows'][number] };

function streamOf(rows: CaseRows): StreamItem[] {
	return [
		...rows.caseRows.map((row) => ({ kind: 'case' as const, version: row.version, caseId: row.id, row })),
		...rows.personRows.map((row) => ({ kind: 'person' as const, version: row.version, caseId: row.caseId, row })),
		...rows.noteRows.map((row) => ({ kind: 'note' as const, version: row.version, caseId: row.caseId, row })),
		...rows.visitRows.map((row) => ({ kind: 'visit' as const, version: row.version, caseId: row.caseId, row })),
		...rows.tombstoneRows.map((row) => ({ kind: 'tombstone' as const, version: row.version, caseId: row.caseId, row }))
	];
}
