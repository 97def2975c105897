import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { assignments, cases, emergencyGrants, noteRevisions, notes, persons, tombstones, visits } from '../db/schema';

/**
 * Destruction at the end of the intermediate archive, and erasure (right of the person): the one
 * code that deletes case content. Synced rows (persons, notes, visits) leave a tombstone so that
 * a device still holding them drops them; rows that never reach a device (note revisions,
 * assignments, emergency grants) are deleted without one. The case row stays, status
 * 'destroyed', with its reference, measure type and dates only: the DPO can still answer "was
 * this file destroyed, and when", and the audit trail, which names it by id, is kept.
 * Run inside the caller's transaction, with its audit event.
 */
export async function destroyCaseContent(tx: Executor, caseId: string, now: Date): Promise<DestructionCounts> {
	const personRows = await tx.delete(persons).where(eq(persons.caseId, caseId)).returning({ id: persons.id });
	const noteIds = (await tx.select({ id: notes.id }).from(notes).where(eq(notes.caseId, caseId))).map((n) => n.id);
	const revisionRows = noteIds.length
		? await tx.delete(noteRevisions).where(inArray(noteRevisions.noteId, noteIds)).returning({ id: noteRevisions.id })
		: [];
	const noteRows = await tx.delete(notes).where(eq(notes.caseId, caseId)).returning({ id: notes.id });
	const visitRows = await tx.delete(visits).where(eq(visits.caseId, caseId)).returning({ id: visits.id });
	const assignmentRows = await tx.delete(assignments).where(eq(assignments.caseId, caseId)).returning({ id: assignments.id });
	const grantRows = await tx.delete(emergencyGrants).where(eq(emergencyGrants.caseId, caseId)).returning({ id: emergencyGrants.id });

	const stones = [
		...personRows.map((r) => ({ entity: 'person' as const, id: r.id, caseId, deletedAt: now })),
		...noteRows.map((r) => ({ entity: 'note' as const, id: r.id, caseId, deletedAt: now })),
		...visitRows.map((r) => ({ entity: 'visit' as const, id: r.id, caseId, deletedAt: now }))
	];
	for (let i = 0; i < stones.length; i += 500) {
		await tx.insert(tombstones).values(stones.slice(i, i + 500)).onConflictDoNothing();
	}
	await tx
		.update(cases)
		.set({ status: 'destroyed', lastContactAt: null })
		.where(eq(cases.id, caseId));
	return {
		persons: personRows.length,
		notes: noteRows.length,
		noteRevisions: revisionRows.length,
		visits: visitRows.length,
		assignments: assignmentRows.length,
		emergencyGrants: grantRows.length,
		tombstones: stones.length
	};
}

/** Erasure of one person's record (the rest of the case stays): the row goes, a tombstone stays. */
export async function destroyPersonRecord(tx: Executor, personId: string, now: Date): Promise<DestructionCounts> {
	const [row] = await tx.delete(persons).where(eq(persons.id, personId)).returning({ id: persons.id, caseId: persons.caseId });
	if (!row) return { ...emptyCounts };
	await tx.insert(tombstones).values({ entity: 'person', id: row.id, caseId: row.caseId, deletedAt: now }).onConflictDoNothing();
	return { ...emptyCounts, persons: 1, tombstones: 1 };
}

export const emptyCounts: DestructionCounts = {
	persons: 0,
	notes: 0,
	noteRevisions: 0,
	visits: 0,
	assignments: 0,
	emergencyGrants: 0,
	tombstones: 0
};

export function addCounts(a: DestructionCounts, b: DestructionCounts): DestructionCounts {
	return Object.fromEntries(Object.entries(a).map(([key, value]) => [key, value + b[key as keyof DestructionCounts]])) as unknown as DestructionCounts;
}

export interface DestructionCounts {
	persons: number;
	notes: number;
	noteRevisions: number;
	visits: number;
	assignments: number;
	emergencyGrants: number;
	tombstones: number;
}
