import { eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { appliedMutations, devices } from '../db/schema';
import { appendAuditEvent, appendAuditEvents, type AuditEventInput } from '../audit/appendAuditEvent';
import { groupCommit } from '../db/groupCommit';
import { touchDevices } from './touchDevices';
import { isTransientDatabaseError } from '../db/isTransientDatabaseError';
import { log } from '../log';
import { notFoundOrNoAccess } from '../trpc/appError';
import { loadPolicySubject, type UserRef } from '../policy/loadPolicySubject';
import type { Mutation, MutationResult, PushInput, PushOutput } from '../../src/lib/shared/sync';
import { applyMutation, checkNoteCreates, insertNotes, type MutationContext, type MutationOutcome } from './applyMutation';
import { loadOwnDevice } from './registerDevice';

/**
 * sync.push. Each mutation runs in its own transaction, which claims the mutation id in
 * applied_mutations first, applies the change, stores the result and appends the audit event:
 * all of it commits or none. A replay returns the stored first result and changes nothing; a
 * concurrent replay waits on the claimed id. One failing mutation does not stop the others.
 */
export async function pushMutations(db: Database, user: UserRef, input: PushInput, now: Date): Promise<PushOutput> {
	// Independent reads, sent together (postgres.js pipelines them on one connection).
	const [subject, device] = await Promise.all([loadPolicySubject(db, user.id), loadOwnDevice(db, user.id, input.deviceId)]);
	if (!subject) throw notFoundOrNoAccess();
	if (device === null || device === 'other') throw notFoundOrNoAccess();

	if (subject.disabled || device.revokedAt) {
		await db.transaction(async (tx) => {
			await tx.update(devices).set({ lastSeenAt: now }).where(eq(devices.id, input.deviceId));
			await appendAuditEvent(tx, {
				action: 'sync.push',
				outcome: 'denied',
				actorId: subject.id,
				deviceId: input.deviceId,
				details: { wipe: true, reason: subject.disabled ? 'user-disabled' : 'device-revoked', mutations: input.mutations.length }
			}, now);
		});
		return { wipe: true };
	}

	const ctx: MutationContext = { subject, deviceId: input.deviceId, now };
	const results: MutationResult[] = [];
	for (const [index, mutation] of input.mutations.entries()) {
		try {
			// The device's last contact is written with its first mutation (no commit of its own).
			results.push(
				mutation.type === 'note.create'
					? (await createGrouped(db, [{ ctx, mutation }]))[0]
					: await db.transaction((tx) => applyOnce(tx, ctx, mutation, index === 0))
			);
		} catch (error) {
			// Ids and codes only: the payload may hold personal data. Not stored, so a retry may succeed.
			log('error', 'sync.push.mutation-failed', {
				mutationId: mutation.id,
				type: mutation.type,
				error: error instanceof Error ? error.name : 'unknown',
				pgCode: (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? null
			});
			// The database was away: fail the whole push so the device keeps its outbox and sends it
			// again (the mutations already answered are replays then). A rejection would turn the
			// worker's note back into a draft for nothing.
			if (isTransientDatabaseError(error)) throw error;
			results.push({ id: mutation.id, status: 'rejected', code: 'invalid' });
		}
	}
	if (input.mutations.length === 0) await db.update(devices).set({ lastSeenAt: now }).where(eq(devices.id, input.deviceId));
	return { wipe: false, results };
}

async function applyOnce(tx: Executor, ctx: MutationContext, mutation: Mutation, touchDevice: boolean): Promise<MutationResult> {
	const [claimed] = await Promise.all([
		claim(tx, ctx, mutation),
		touchDevice ? tx.update(devices).set({ lastSeenAt: ctx.now }).where(eq(devices.id, ctx.deviceId)) : null
	]);
	if (!claimed) return replayed(tx, ctx, mutation);
	const outcome = await applyMutation(tx, ctx, mutation);
	// Both after the versioned write, which took the chain lock: sent together, so that the lock
	// is held for as few round trips as possible.
	await Promise.all([storeResult(tx, mutation, outcome), appendAuditEvent(tx, auditEventOf(ctx, mutation, outcome), ctx.now)]);
	return outcome.result;
}

/** At most this many note creations (of any devices) share a transaction. */
const MAX_CREATE_BATCH = 32;

/**
 * Note creations, most of what devices push, are group-committed (server/db/groupCommit.ts):
 * those that arrive while a batch is committing go together in the next transaction, in phases
 * whose statements are sent together: the claims, device contacts and read-only checks of all;
 * then all inserts (the first takes the chain lock); then the stored results and, in one append,
 * the audit events; one commit. Outcomes are those of applyOnce, by the same functions
 * (checkNoteCreates, insertNotes). A batch that fails (a clash between two of its mutations, a
 * database error) is retried one mutation per transaction, so that each fails alone.
 * Updates and visit changes, which read and lock current state, keep a transaction each.
 */
const createGrouped = groupCommit(createBatch, { maxBatch: MAX_CREATE_BATCH });

type NoteCreate = Extract<Mutation, { type: 'note.create' }>;

async function createBatch(tx: Executor, items: { ctx: MutationContext; mutation: NoteCreate }[]): Promise<MutationResult[]> {
	// Two creations of one mutation id or one note id would each pass its checks before the
	// other's insert: such a batch goes one by one (see groupCommit).
	const mutationIds = new Set(items.map((i) => i.mutation.id));
	const noteIds = new Set(items.map((i) => i.mutation.payload.noteId));
	if (items.length > 1 && (mutationIds.size < items.length || noteIds.size < items.length)) throw new Error('batch clash: retried one by one');

	const seen = [...new Map(items.map(({ ctx }) => [ctx.deviceId, { deviceId: ctx.deviceId, at: ctx.now }])).values()];
	const creations = items.map(({ ctx, mutation }) => ({ ctx, id: mutation.id, payload: mutation.payload }));
	const [claimed, checked] = await Promise.all([
		claimAll(tx, items),
		checkNoteCreates(tx, creations),
		touchDevices(tx, seen, { synced: false })
	]);
	const inserted = await insertNotes(
		tx,
		creations.filter((_, i) => claimed[i] && !checked[i])
	);
	let next = 0;
	const outcomes = items.map((_, i) => (!claimed[i] ? null : (checked[i] ?? inserted[next++])));
	const [results] = await Promise.all([
		Promise.all(items.map(({ ctx, mutation }, i) => (outcomes[i] ? outcomes[i].result : replayed(tx, ctx, mutation)))),
		storeResults(
			tx,
			items.flatMap(({ mutation }, i) => (outcomes[i] ? [{ mutation, outcome: outcomes[i] }] : []))
		),
		appendAuditEvents(
			tx,
			items.flatMap(({ ctx, mutation }, i) => {
				const outcome = outcomes[i];
				return outcome ? [{ input: auditEventOf(ctx, mutation, outcome), now: ctx.now }] : [];
			})
		)
	]);
	return results;
}

/** Claims the mutation id (false when it was claimed before: a replay). */
async function claim(tx: Executor, ctx: MutationContext, mutation: Mutation): Promise<boolean> {
	return (await claimAll(tx, [{ ctx, mutation }]))[0];
}

/** claim for several mutations (distinct ids), in one statement. */
async function claimAll(tx: Executor, items: readonly { ctx: MutationContext; mutation: Mutation }[]): Promise<boolean[]> {
	const rows = await tx
		.insert(appliedMutations)
		.values(items.map(({ ctx, mutation }) => ({ id: mutation.id, deviceId: ctx.deviceId, userId: ctx.subject.id, result: { pending: true }, appliedAt: ctx.now })))
		.onConflictDoNothing({ target: appliedMutations.id })
		.returning({ id: appliedMutations.id });
	const claimed = new Set(rows.map((row) => row.id));
	return items.map(({ mutation }) => claimed.has(mutation.id));
}

/** The answer to a replay: the first result, or a refusal when the id is another user's. */
async function replayed(tx: Executor, ctx: MutationContext, mutation: Mutation): Promise<MutationResult> {
	const [first] = await tx
		.select({ userId: appliedMutations.userId, result: appliedMutations.result })
		.from(appliedMutations)
		.where(eq(appliedMutations.id, mutation.id));
	// Another user's mutation id: say nothing about it.
	if (!first || first.userId !== ctx.subject.id) return { id: mutation.id, status: 'rejected', code: 'invalid' };
	return { id: mutation.id, status: 'duplicate', first: first.result };
}

function storeResult(tx: Executor, mutation: Mutation, outcome: MutationOutcome) {
	return storeResults(tx, [{ mutation, outcome }]);
}

/** storeResult for several mutations, in one statement. */
async function storeResults(tx: Executor, stored: readonly { mutation: Mutation; outcome: MutationOutcome }[]): Promise<void> {
	if (stored.length === 0) return;
	const rows = sql.join(
		stored.map(({ mutation, outcome }) => sql`(${mutation.id}::uuid, ${JSON.stringify(outcome.result)}::jsonb)`),
		sql`, `
	);
	await tx.execute(sql`update ${appliedMutations} set result = v.result from (values ${rows}) as v(id, result) where ${appliedMutations.id} = v.id`);
}

function auditEventOf(ctx: MutationContext, mutation: Mutation, outcome: MutationOutcome): AuditEventInput {
	return {
		action: `sync.push.${mutation.type}`,
		outcome: outcome.result.status === 'rejected' ? 'denied' : 'success',
		actorId: ctx.subject.id,
		deviceId: ctx.deviceId,
		caseId: outcome.caseId,
		noteId: outcome.noteId,
		details: { mutationId: mutation.id, status: outcome.result.status, ...outcome.details }
	};
}
