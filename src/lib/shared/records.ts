import { z } from 'zod';
import {
	assignmentRoles,
	caseStatuses,
	measureTypes,
	noteKinds,
	noteStatuses,
	personRoles,
	sensitiveCategories,
	visitStatuses
} from './domain';

/**
 * Records as they travel from the server to a device (sync.pull) and as the device store
 * keeps them once decrypted. Dates are ISO-8601 strings; versions come from one PostgreSQL
 * sequence and are numbers.
 */

export const caseAccessSchema = z.object({
	/** Why this user may see the case: an assignment, a delegation (suppléance) or an emergency grant. */
	kind: z.enum(['assignment', 'delegation', 'emergency', 'team']),
	role: z.enum(assignmentRoles).nullable(),
	/** End of the access window, when there is one. */
	until: z.string().nullable(),
	/** For a delegation: display name of the colleague covered. */
	coveringFor: z.string().nullable()
});
export type CaseAccess = z.infer<typeof caseAccessSchema>;

export const caseRecordSchema = z.object({
	id: z.uuid(),
	reference: z.string(),
	measureType: z.enum(measureTypes),
	status: z.enum(caseStatuses),
	teamId: z.uuid().nullable(),
	openedAt: z.string(),
	closedAt: z.string().nullable(),
	lastContactAt: z.string().nullable(),
	access: caseAccessSchema,
	version: z.number()
});
export type CaseRecord = z.infer<typeof caseRecordSchema>;

export const personRecordSchema = z.object({
	id: z.uuid(),
	caseId: z.uuid(),
	role: z.enum(personRoles),
	firstName: z.string(),
	lastName: z.string(),
	birthDate: z.string().nullable(),
	address: z.string().nullable(),
	phone: z.string().nullable(),
	email: z.string().nullable(),
	relationship: z.string().nullable(),
	/** Limitation of processing (right of the person): read-only everywhere. */
	frozen: z.boolean(),
	version: z.number()
});
export type PersonRecord = z.infer<typeof personRecordSchema>;

export const noteRecordSchema = z.object({
	id: z.uuid(),
	caseId: z.uuid(),
	authorId: z.uuid(),
	authorName: z.string(),
	kind: z.enum(noteKinds),
	/** Null when the note is restricted (sensitive category without habilitation). */
	body: z.string().nullable(),
	restricted: z.boolean(),
	sensitiveCategory: z.enum(sensitiveCategories).nullable(),
	status: z.enum(noteStatuses),
	reviewComment: z.string().nullable(),
	visitId: z.uuid().nullable(),
	/** Set on a conflict revision: the note it conflicts with. */
	conflictOf: z.uuid().nullable(),
	createdOnDeviceAt: z.string(),
	receivedAt: z.string().nullable(),
	version: z.number()
});
export type NoteRecord = z.infer<typeof noteRecordSchema>;

export const visitRecordSchema = z.object({
	id: z.uuid(),
	caseId: z.uuid(),
	userId: z.uuid().nullable(),
	plannedAt: z.string(),
	status: z.enum(visitStatuses),
	place: z.string().nullable(),
	purpose: z.string().nullable(),
	reportNoteId: z.uuid().nullable(),
	version: z.number()
});
export type VisitRecord = z.infer<typeof visitRecordSchema>;

export const tombstoneSchema = z.object({
	entity: z.enum(['case', 'person', 'note', 'visit']),
	id: z.uuid(),
	caseId: z.uuid(),
	version: z.number()
});
export type Tombstone = z.infer<typeof tombstoneSchema>;
