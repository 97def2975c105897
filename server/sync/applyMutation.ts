import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { noteRevisions, notes, persons, visits } from '../db/schema';
import { checkCaseAccessAs } from '../policy/checkCaseAccess';
import type { PolicySubject } from '../policy/loadPolicySubject';
import type { Mutation, MutationResult, RejectionCode } from '../../src/lib/shared/sync';

/**
 * Applies one pushed mutation inside the caller's transaction, re-checking authorization now.
 * Nothing the device wrote is dropped silently: an edit on a stale version becomes a conflict
 * revision beside the note; a refusal is returned with a code the UI shows.
 */
export async function applyMutation(tx: Executor, ctx: MutationContext, mutation: Mutation): Promise<MutationOutcome> {
	switch (mutation.type) {
		case 'note.create':
			return createNote(tx, ctx, mutation.id, mutation.payload);
		case 'note.update':
			return updateNote(tx, ctx, mutation);
		case 'visit.report':
			return reportVisit(tx, ctx, mutation.id, mutation.payload);
		case 'visit.status':
			return setVisitStatus(tx, ctx, mutation);
	}
}

async function createNote(tx: Executor, ctx: MutationContext, id: string, payload: NoteCreatePayload): Promise<MutationOutcome> {
	const item = { ctx, id, payload };
	return (await checkNoteCreates(tx, [item]))[0] ?? (await insertNotes(tx, [item]))[0];
}

type NoteCreatePayload = Extract<Mutation, { type: 'note.create' }>['payload'];

type NoteCreateItem = { ctx: MutationContext; id: string; payload: NoteCreatePayload };

/**
 * The read-only half of note creations: for each, its outcome when it must not insert (refused,
 * or the same note already there), null when it may. Split from insertNotes so that the group
 * commit of creations (pushMutations) can check a whole batch in a few statements, then insert it.
 * The reads of all items are sent together.
 */
export async function checkNoteCreates(tx: Executor, items: readonly NoteCreateItem[]): Promise<(MutationOutcome | null)[]> {
	const [refusals, existing] = await Promise.all([
		refuseWrites(tx, items.map(({ ctx, payload }) => ({ ctx, caseId: payload.caseId }))),
		sameNotesAgain(
			tx,
			items.map(({ ctx, payload }) => ({ ctx, noteId: payload.noteId, expected: { caseId: payload.caseId, visitId: null, body: payload.body } }))
		)
	]);
	return items.map(({ id, payload }, i) => {
		const target = { caseId: payload.caseId, noteId: payload.noteId };
		if (refusals[i]) return rejected(id, refusals[i], target);
		const again = existing[i];
		if (again === 'clash') return rejected(id, 'invalid', target);
		if (again) return { result: { id, status: 'applied', version: again.version }, ...target, details: { again: true } };
		return null;
	});
}

/** The write half of note creations, once checkNoteCreates allowed them, in one statement (takes versions: the chain lock). */
export async function insertNotes(tx: Executor, items: readonly NoteCreateItem[]): Promise<MutationOutcome[]> {
	if (items.length === 0) return [];
	const rows = await tx
		.insert(notes)
		.values(
			items.map(({ ctx, payload }) => ({
				id: payload.noteId,
				caseId: payload.caseId,
				authorId: ctx.subject.id,
				kind: payload.kind,
				body: payload.body,
				sensitiveCategory: payload.sensitiveCategory,
				status: 'submitted' as const,
				deviceId: ctx.deviceId,
				createdOnDeviceAt: new Date(payload.createdOnDeviceAt),
				receivedAt: ctx.now
			}))
		)
		.returning({ id: notes.id, version: notes.version });
	const versions = new Map(rows.map((row) => [row.id, row.version]));
	return items.map(({ id, payload }) => {
		const version = versions.get(payload.noteId);
		if (version === undefined) throw new Error('note insert returned no version');
		return { result: { id, status: 'applied', version }, caseId: payload.caseId, noteId: payload.noteId, details: {} };
	});
}

async function updateNote(tx: Executor, ctx: MutationContext, mutation: Extract<Mutation, { type: 'note.update' }>): Promise<MutationOutcome> {
	const { id, payload, baseVersion } = mutation;
	const [note] = await tx.select().from(notes).where(eq(notes.id, payload.noteId)).for('update');
	// Someone else's note answers like a missing one: editing is for the author only.
	if (!note || note.authorId !== ctx.subject.id) return rejected(id, 'not-found-or-no-access', { caseId: null, noteId: payload.noteId });
	const target = { caseId: note.caseId, noteId: note.id };
	const refusal = await refuseWrite(tx, ctx, note.caseId);
	if (refusal) return rejected(id, refusal, target);
	if (note.status === 'reviewed') return rejected(id, 'already-reviewed', target);

	if (baseVersion !== note.version) {
		const revisionId = crypto.randomUUID();
		const [row] = await tx
			.insert(notes)
			.values({
				id: revisionId,
				caseId: note.caseId,
				authorId: ctx.subject.id,
				kind: payload.kind,
				body: payload.body,
				sensitiveCategory: payload.sensitiveCategory,
				status: 'submitted',
				visitId: note.visitId,
				conflictOf: note.id,
				deviceId: ctx.deviceId,
				createdOnDeviceAt: new Date(payload.editedOnDeviceAt),
				receivedAt: ctx.now
			})
			.returning({ version: notes.version });
		return {
			result: { id, status: 'conflict', revisionId, version: row.version },
			...target,
			details: { baseVersion, currentVersion: note.version, revisionId }
		};
	}

	await tx.insert(noteRevisions).values({
		noteId: note.id,
		revision: note.revision,
		body: note.body,
		kind: note.kind,
		sensitiveCategory: note.sensitiveCategory,
		authorId: note.authorId,
		deviceId: note.deviceId,
		createdAt: ctx.now
	});
	const [row] = await tx
		.update(notes)
		.set({
			body: payload.body,
			kind: payload.kind,
			sensitiveCategory: payload.sensitiveCategory,
			revision: note.revision + 1,
			deviceId: ctx.deviceId,
			// An edit answering "changes requested" goes back to the lead.
			status: note.status === 'changes_requested' ? 'submitted' : note.status
		})
		.where(eq(notes.id, note.id))
		.returning({ version: notes.version });
	return { result: { id, status: 'applied', version: row.version }, ...target, details: { revision: note.revision + 1 } };
}

async function reportVisit(
	tx: Executor,
	ctx: MutationContext,
	id: string,
	payload: Extract<Mutation, { type: 'visit.report' }>['payload']
): Promise<MutationOutcome> {
	const [visit] = await tx.select().from(visits).where(eq(visits.id, payload.visitId)).for('update');
	if (!visit) return rejected(id, 'not-found-or-no-access', { caseId: null, noteId: payload.noteId });
	const target = { caseId: visit.caseId, noteId: payload.noteId };
	const refusal = await refuseWrite(tx, ctx, visit.caseId);
	if (refusal) return rejected(id, refusal, target);
	const existing = await sameNoteAgain(tx, ctx, payload.noteId, { caseId: visit.caseId, visitId: visit.id, body: payload.body });
	if (existing === 'clash') return rejected(id, 'invalid', target);
	if (existing) return { result: { id, status: 'applied', version: existing.version }, ...target, details: { again: true } };
	const [row] = await tx
		.insert(notes)
		.values({
			id: payload.noteId,
			caseId: visit.caseId,
			authorId: ctx.subject.id,
			kind: 'visit_report',
			body: payload.body,
			sensitiveCategory: payload.sensitiveCategory,
			status: 'submitted',
			visitId: visit.id,
			deviceId: ctx.deviceId,
			createdOnDeviceAt: new Date(payload.createdOnDeviceAt),
			receivedAt: ctx.now
		})
		.returning({ version: notes.version });
	// A second report (another device) stays a note of the visit; the first one keeps the link.
	await tx
		.update(visits)
		.set({ reportNoteId: visit.reportNoteId ?? payload.noteId, status: visit.status === 'planned' ? 'done' : visit.status })
		.where(eq(visits.id, visit.id));
	return { result: { id, status: 'applied', version: row.version }, ...target, details: { visitId: visit.id } };
}

/** Visit status is last-writer-wins (no text to lose); a stale base is recorded in the audit trail. */
async function setVisitStatus(tx: Executor, ctx: MutationContext, mutation: Extract<Mutation, { type: 'visit.status' }>): Promise<MutationOutcome> {
	const { id, payload, baseVersion } = mutation;
	const [visit] = await tx.select().from(visits).where(eq(visits.id, payload.visitId)).for('update');
	if (!visit) return rejected(id, 'not-found-or-no-access', { caseId: null, noteId: null });
	const target = { caseId: visit.caseId, noteId: null };
	const refusal = await refuseWrite(tx, ctx, visit.caseId);
	if (refusal) return rejected(id, refusal, target);
	const [row] = await tx.update(visits).set({ status: payload.status }).where(eq(visits.id, visit.id)).returning({ version: visits.version });
	return {
		result: { id, status: 'applied', version: row.version },
		...target,
		details: { visitId: visit.id, status: payload.status, stale: baseVersion !== visit.version }
	};
}

/** Write access to the case now, and no person of the case under limitation of processing. */
async function refuseWrite(tx: Executor, ctx: MutationContext, caseId: string): Promise<RejectionCode | null> {
	return (await refuseWrites(tx, [{ ctx, caseId }]))[0];
}

/** refuseWrite for several writes: one access decision each, one read of frozen persons for all. */
async function refuseWrites(tx: Executor, writes: readonly { ctx: MutationContext; caseId: string }[]): Promise<(RejectionCode | null)[]> {
	const caseIds = [...new Set(writes.map((w) => w.caseId))];
	const [decisions, frozenRows] = await Promise.all([
		// ctx.subject was read from the database by this push request (pushMutations).
		Promise.all(writes.map(({ ctx, caseId }) => checkCaseAccessAs(tx, ctx.subject, caseId, 'write', ctx.now))),
		tx
			.selectDistinct({ caseId: persons.caseId })
			.from(persons)
			.where(and(inArray(persons.caseId, caseIds), isNotNull(persons.frozenAt)))
	]);
	const frozen = new Set(frozenRows.map((row) => row.caseId));
	return writes.map(({ caseId }, i) => {
		const decision = decisions[i];
		if (!decision.ok) return decision.reason === 'case-closed' ? 'case-closed' : 'not-found-or-no-access';
		return frozen.has(caseId) ? 'frozen' : null;
	});
}

/**
 * Note ids are client UUIDs. The same note (case, author, visit, text) sent again under a new
 * mutation id is accepted as already there; an id already used for anything else is refused.
 */
async function sameNoteAgain(
	tx: Executor,
	ctx: MutationContext,
	noteId: string,
	expected: { caseId: string; visitId: string | null; body: string }
): Promise<{ version: number } | 'clash' | null> {
	return (await sameNotesAgain(tx, [{ ctx, noteId, expected }]))[0];
}

/** sameNoteAgain for several notes, in one read. */
async function sameNotesAgain(
	tx: Executor,
	lookups: readonly { ctx: MutationContext; noteId: string; expected: { caseId: string; visitId: string | null; body: string } }[]
): Promise<({ version: number } | 'clash' | null)[]> {
	const rows = await tx
		.select({ id: notes.id, caseId: notes.caseId, authorId: notes.authorId, visitId: notes.visitId, body: notes.body, revision: notes.revision, version: notes.version })
		.from(notes)
		.where(inArray(notes.id, [...new Set(lookups.map((l) => l.noteId))]));
	const byId = new Map(rows.map((row) => [row.id, row]));
	return lookups.map(({ ctx, noteId, expected }) => {
		const row = byId.get(noteId);
		if (!row) return null;
		const same =
			row.caseId === expected.caseId &&
			row.authorId === ctx.subject.id &&
			row.visitId === expected.visitId &&
			row.revision === 1 &&
			row.body === expected.body;
		return same ? { version: row.version } : 'clash';
	});
}

function rejected(id: string, code: RejectionCode, target: { caseId: string | null; noteId: string | null }): MutationOutcome {
	return { result: { id, status: 'rejected', code }, ...target, details: { code } };
}

export interface MutationContext {
	subject: PolicySubject;
	deviceId: string;
	now: Date;
}

export interface MutationOutcome {
	result: Exclude<MutationResult, { status: 'duplicate' }>;
	caseId: string | null;
	noteId: string | null;
	/** For the audit trail: ids and codes, never text. */
	details: Record<string, unknown>;
}
