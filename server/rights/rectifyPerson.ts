import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import { persons } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import { requirePersonAccess } from '../policy/requireResourceAccess';
import type { UserRef } from '../policy/loadPolicySubject';
import { appError } from '../trpc/appError';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const personCorrectionSchema = z
	.object({
		firstName: z.string().trim().min(1).max(100).optional(),
		lastName: z.string().trim().min(1).max(100).optional(),
		birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional(),
		address: optionalText(300),
		phone: optionalText(40),
		email: optionalText(200),
		relationship: optionalText(100)
	})
	.strict();
export type PersonCorrection = z.infer<typeof personCorrectionSchema>;

/**
 * Right of rectification (art. 16): corrects a person's record and writes the before and after
 * of every changed field to the audit trail, so the correction itself can be shown later. It is
 * allowed on a frozen person: correcting contested data is what ends a limitation.
 */
export async function rectifyPerson(
	db: Database,
	user: UserRef,
	input: { personId: string; changes: PersonCorrection; reason: string; requestId: string | null },
	now: Date
) {
	const { caseId } = await requirePersonAccess(db, user, input.personId, 'audit', now);
	return db.transaction(async (tx) => {
		const [current] = await tx.select().from(persons).where(eq(persons.id, input.personId)).for('update');
		const before: Record<string, unknown> = {};
		const after: Record<string, unknown> = {};
		for (const [field, value] of Object.entries(input.changes) as [keyof PersonCorrection, string | null | undefined][]) {
			if (value === undefined) continue;
			const normalised = value === '' ? null : value;
			if (current[field] === normalised) continue;
			before[field] = current[field];
			after[field] = normalised;
		}
		if (Object.keys(after).length === 0) throw appError('BAD_REQUEST', 'nothing-to-change');
		const [row] = await tx.update(persons).set(after).where(eq(persons.id, input.personId)).returning({ version: persons.version });
		await appendAuditEvent(
			tx,
			{ action: 'rights.rectification', actorId: user.id, personId: input.personId, caseId, details: { before, after, reason: input.reason, requestId: input.requestId } },
			now
		);
		return { changed: Object.keys(after), version: row.version };
	});
}
