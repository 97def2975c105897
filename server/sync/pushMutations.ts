import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { groupCommit } from '../db/groupCommit';
import { appliedMutations, devices } from '../db/schema';
import { appendAuditEvent, appendAuditEvents, type AuditEventInput } from '../audit/appendAuditEvent';
import { touchDevices } from './touchDevices';
import { isTransientDatabaseError } from '../db/isTransientDatabaseError';
import { log } from '../log';
import { notFoundOrNoAccess } from '../trpc/appError';
import { loadPolicySubject, type UserRef } from '../policy/loadPolicySubject';
import type { Mutation, MutationResult, PushInput, PushOutput } from '../../src/lib/shared/sync';
import { applyMutation, type MutationContext } from './applyMutation';
import { loadOwnDevice } from './registerDevice';

/**
 * sync.push. Each mutation claims its id in applied_mutations first, applies the change, stores
 * the result and has its audit event appended in the same transaction: all of it commits or
 * none (group-committed with other devices' mutations, each in its own savepoint: applyGrouped).
 * A replay returns the stored first result and changes nothing; a concurrent replay waits on
 * the claimed id (or, in the same batch, finds the first one's result). One failing mutation
 * does not stop the others.
 */
export async function pushMutations(db: Database, user: UserRef, input: PushInput, now: Date): Promise<PushOutput> {
	const subject = await loadPolicySubject(db, user.id);
	if (!subject) throw notFoundOrNoAccess();
	const device = await loadOwnDevice(db, subject.id, input.deviceId);
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
	return { wipe: false, results: await applyGrouped(db, input.mutations.map((mutation) => ({ ctx, mutation }))) };
}

/** At most this many mutations (of any devices) share a transaction. */
const MAX_BATCH = 32;

/**
 * Mutations are group-committed (server/db/groupCommit.ts): those that arrive while a
 * transaction is committing share the next one, each in a savepoint of its own, so that one
 * refused mutation rolls back alone; their audit events go in at the end in one turn of the
 * chain lock, and all of it commits at once. A transient database error fails the batch: each
 * mutation is then retried alone, and a push whose mutation still fails answers an error, so
 * that the device keeps its outbox and sends it again (those already answered are replays).
 */
const applyGrouped = groupCommit(applyBatch, { maxBatch: MAX_BATCH });

async function applyBatch(tx: Executor, items: { ctx: MutationContext; mutation: Mutation }[]): Promise<MutationResult[]> {
	await touchDevices(tx, [...new Map(items.map(({ ctx }) => [ctx.deviceId, { deviceId: ctx.deviceId, at: ctx.now }])).values()], { synced: false });
	const results: MutationResult[] = [];
	const events: { input: AuditEventInput; now: Date }[] = [];
	for (const { ctx, mutation } of items) {
		try {
			const applied = await tx.transaction((savepoint) => applyOnce(savepoint, ctx, mutation));
			results.push(applied.result);
			if (applied.event) events.push({ input: applied.event, now: ctx.now });
		} catch (error) {
			// Ids and codes only: the payload may hold personal data. Not stored, so a retry may succeed.
			log('error', 'sync.push.mutation-failed', {
				mutationId: mutation.id,
				type: mutation.type,
				error: error instanceof Error ? error.name : 'unknown',
				pgCode: (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? null
			});
			// The database was away: fail the batch (see above). A rejection would turn the
			// worker's note back into a draft for nothing.
			if (isTransientDatabaseError(error)) throw error;
			results.push({ id: mutation.id, status: 'rejected', code: 'invalid' });
		}
	}
	await appendAuditEvents(tx, events);
	return results;
}

async function applyOnce(tx: Executor, ctx: MutationContext, mutation: Mutation): Promise<{ result: MutationResult; event: AuditEventInput | null }> {
	const claimed = await tx
		.insert(appliedMutations)
		.values({ id: mutation.id, deviceId: ctx.deviceId, userId: ctx.subject.id, result: { pending: true }, appliedAt: ctx.now })
		.onConflictDoNothing({ target: appliedMutations.id })
		.returning({ id: appliedMutations.id });
	if (claimed.length === 0) {
		const [first] = await tx
			.select({ userId: appliedMutations.userId, result: appliedMutations.result })
			.from(appliedMutations)
			.where(eq(appliedMutations.id, mutation.id));
		// Another user's mutation id: say nothing about it.
		if (!first || first.userId !== ctx.subject.id) return { result: { id: mutation.id, status: 'rejected', code: 'invalid' }, event: null };
		return { result: { id: mutation.id, status: 'duplicate', first: first.result }, event: null };
	}

	const outcome = await applyMutation(tx, ctx, mutation);
	await tx.update(appliedMutations).set({ result: outcome.result }).where(eq(appliedMutations.id, mutation.id));
	const event: AuditEventInput = {
		action: `sync.push.${mutation.type}`,
		outcome: outcome.result.status === 'rejected' ? 'denied' : 'success',
		actorId: ctx.subject.id,
		deviceId: ctx.deviceId,
		caseId: outcome.caseId,
		noteId: outcome.noteId,
		details: { mutationId: mutation.id, status: outcome.result.status, ...outcome.details }
	};
	return { result: outcome.result, event };
}
