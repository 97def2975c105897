import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { cases, persons } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { requirePersonAccess } from '../policy/requireResourceAccess';
import type { UserRef } from '../policy/loadPolicySubject';
import { appError } from '../trpc/appError';
import { destroyCaseContent, destroyPersonRecord } from '../retention/destroyCaseContent';
import { blockingErasureExceptions, type ErasureGround } from './erasureExceptions';

/**
 * Right to erasure (art. 17), where the law allows it: the person's record alone ('person'), or
 * the whole case file ('case', as the retention engine destroys it: same code, tombstones, case
 * row kept as 'destroyed'). Refused with the exceptions that apply (erasureExceptions.ts); the
 * DPO must also confirm that none of the exceptions Carnet cannot check applies.
 */
export async function erasePersonData(
	db: Database,
	user: UserRef,
	input: { personId: string; scope: 'person' | 'case'; ground: ErasureGround; confirmNoException: boolean; requestId: string | null },
	now: Date
) {
	const { caseId } = await requirePersonAccess(db, user, input.personId, 'audit', now);
	if (!input.confirmNoException) throw appError('BAD_REQUEST', 'erasure-refused', { exceptions: ['not-confirmed'] });
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({ caseStatus: cases.status, frozenAt: persons.frozenAt })
			.from(persons)
			.innerJoin(cases, eq(cases.id, persons.caseId))
			.where(eq(persons.id, input.personId))
			.for('update');
		const exceptions = blockingErasureExceptions({ caseStatus: row.caseStatus, personFrozen: row.frozenAt !== null, scope: input.scope, ground: input.ground });
		if (exceptions.length > 0) throw appError('CONFLICT', 'erasure-refused', { exceptions });
		const counts = input.scope === 'case' ? await destroyCaseContent(tx, caseId, now) : await destroyPersonRecord(tx, input.personId, now);
		await appendAuditEvent(
			tx,
			{ action: 'rights.erasure', actorId: user.id, personId: input.personId, caseId, details: { scope: input.scope, ground: input.ground, requestId: input.requestId, ...counts } },
			now
		);
		return { scope: input.scope, counts };
	});
}
