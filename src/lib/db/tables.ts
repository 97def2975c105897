import { z } from 'zod';
import {
	caseRecordSchema,
	noteRecordSchema,
	personRecordSchema,
	visitRecordSchema,
	type CaseRecord,
	type NoteRecord,
	type PersonRecord,
	type VisitRecord
} from '$lib/shared/records';
import { journalEntrySchema, mutationSchema, type JournalEntry, type Mutation } from '$lib/shared/sync';
import { noteKinds, sensitiveCategories } from '$lib/shared/domain';
import type { SealedTable } from './sealedTable';

/** What each table encrypts, and which clear fields it keeps beside the ciphertext. */

const byId = {
	bindingId: (index: { id: string }) => index.id,
	primaryKey: (row: { id: string }) => row.id
};

export const casesTable: SealedTable<CaseRecord, { id: string; version: number }> = {
	table: 'cases',
	schemaVersion: 1,
	schema: caseRecordSchema,
	index: (c) => ({ id: c.id, version: c.version }),
	...byId,
	keepOpened: true
};

type ChildIndex = { id: string; caseId: string; version: number };
const childIndex = (r: ChildIndex): ChildIndex => ({ id: r.id, caseId: r.caseId, version: r.version });

export const personsTable: SealedTable<PersonRecord, ChildIndex> = {
	table: 'persons',
	schemaVersion: 1,
	schema: personRecordSchema,
	index: childIndex,
	...byId,
	keepOpened: true
};

export const notesTable: SealedTable<NoteRecord, ChildIndex> = {
	table: 'notes',
	schemaVersion: 1,
	schema: noteRecordSchema,
	index: childIndex,
	...byId,
	keepOpened: true
};

export const visitsTable: SealedTable<VisitRecord, ChildIndex> = {
	table: 'visits',
	schemaVersion: 1,
	schema: visitRecordSchema,
	index: childIndex,
	...byId,
	keepOpened: true
};

/** A note being written on this device, not yet submitted. */
export const draftSchema = z.object({
	id: z.uuid(),
	caseId: z.uuid(),
	/** The note this draft edits, or null for a new note. */
	noteId: z.uuid().nullable(),
	visitId: z.uuid().nullable(),
	kind: z.enum(noteKinds),
	body: z.string(),
	sensitiveCategory: z.enum(sensitiveCategories).nullable(),
	updatedAt: z.string()
});
export type Draft = z.infer<typeof draftSchema>;

export const draftsTable: SealedTable<Draft, { id: string; caseId: string }> = {
	table: 'drafts',
	schemaVersion: 1,
	schema: draftSchema,
	index: (d) => ({ id: d.id, caseId: d.caseId }),
	...byId
};

const outboxValueSchema = z.object({ caseId: z.uuid().nullable(), mutation: mutationSchema });
export type OutboxValue = { caseId: string | null; mutation: Mutation };

/** Bound by mutation id (known before the insert), ordered by the auto-incremented `seq`. */
export const outboxTable: SealedTable<OutboxValue, { id: string; caseId: string | null }> = {
	table: 'outbox',
	schemaVersion: 1,
	schema: outboxValueSchema,
	index: (v) => ({ id: v.mutation.id, caseId: v.caseId }),
	bindingId: (index) => index.id,
	primaryKey: (row) => (row as { seq?: number }).seq ?? row.id
};

export const journalTable: SealedTable<JournalEntry, { seq: number }> = {
	table: 'journal',
	schemaVersion: 1,
	schema: journalEntrySchema,
	index: (e) => ({ seq: e.seq }),
	bindingId: (index) => String(index.seq),
	primaryKey: (row) => row.seq
};
