import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { appliedMutations, devices } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { isTransientDatabaseError } from '../db/isTransientDatabaseError';
import { log } from '../log';
import { notFoundOrNoAccess } from '../trpc/appError';
import { loadPolicySubject, type UserRef } from '../policy/loadPolicySubject';
import type { Mutation, MutationResult, PushInput, PushOutput } from '../../src/lib/shared/sync';
import { applyMutation, type MutationContext } from './applyMutation';
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
			results.push(await db.transaction((tx) => applyOnce(tx, ctx, mutation, index === 0)));
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
		tx
			.insert(appliedMutations)
			.values({ id: mutation.id, deviceId: ctx.deviceId, userId: ctx.subject.id, result: { pending: true }, appliedAt: ctx.now })
			.onConflictDoNothing({ target: appliedMutations.id })
			.returning({ id: appliedMutations.id }),
		touchDevice ? tx.update(devices).set({ lastSeenAt: ctx.now }).where(eq(devices.id, ctx.deviceId)) : null
	]);
	if (claimed.length === 0) {
		const [first] = await tx
			.select({ userId: appliedMutations.userId, result: appliedMutations.result })
			.from(appliedMutations)
			.where(eq(appliedMutations.id, mutation.id));
		// Another user's mutation id: say nothing about it.
		if (!first || first.userId !== ctx.subject.id) return { id: mutation.id, status: 'rejected', code: 'invalid' };
		return { id: mutation.id, status: 'duplicate', first: first.result };
	}

	const outcome = await applyMutation(tx, ctx, mutation);
	// Both after the versioned write, which took the chain lock: sent together, so that the lock
	// is held for as few round trips as possible.
	await Promise.all([
		tx.update(appliedMutations).set({ result: outcome.result }).where(eq(appliedMutations.id, mutation.id)),
		appendAuditEvent(tx, {
			action: `sync.push.${mutation.type}`,
			outcome: outcome.result.status === 'rejected' ? 'denied' : 'success',
			actorId: ctx.subject.id,
			deviceId: ctx.deviceId,
			caseId: outcome.caseId,
			noteId: outcome.noteId,
			details: { mutationId: mutation.id, status: outcome.result.status, ...outcome.details }
		}, ctx.now)
	]);
	return outcome.result;
}
