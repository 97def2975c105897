import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { persons } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { requirePersonAccess } from '../policy/requireResourceAccess';
import type { UserRef } from '../policy/loadPolicySubject';

/**
 * Limitation of processing (art. 18; référentiel § 64: "le gel temporaire du traitement de ses
 * données, le temps que celui-ci procède aux vérifications"). Sets or clears persons.frozen_at;
 * the update bumps the row's version, so every device holding the case receives `frozen` at its
 * next pull, and sync.push refuses edits on the case while a person of it is frozen.
 */
export async function limitPersonProcessing(
	db: Database,
	user: UserRef,
	input: { personId: string; frozen: boolean; reason: string; requestId: string | null },
	now: Date
) {
	const { caseId } = await requirePersonAccess(db, user, input.personId, 'audit', now);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(persons)
			.set({ frozenAt: input.frozen ? now : null })
			.where(eq(persons.id, input.personId))
			.returning({ frozenAt: persons.frozenAt, version: persons.version });
		await appendAuditEvent(
			tx,
			{ action: 'rights.limitation', actorId: user.id, personId: input.personId, caseId, details: { frozen: input.frozen, reason: input.reason, requestId: input.requestId } },
			now
		);
		return { frozen: row.frozenAt !== null, frozenAt: row.frozenAt?.toISOString() ?? null };
	});
}
