/** Enumerations of the domain, shared by the server, the wire and the device store. */

export const roles = ['worker', 'lead', 'admin', 'dpo'] as const;
export type Role = (typeof roles)[number];

/** Measure types of the CNIL référentiel (délibération 2022-008). */
export const measureTypes = ['aed', 'aemo', 'placement', 'tisf', 'cjm', 'ip'] as const;
export type MeasureType = (typeof measureTypes)[number];

export const caseStatuses = ['open', 'closed', 'archived', 'destroyed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** Sensitive categories: a note carrying one is readable only with the matching habilitation. */
export const sensitiveCategories = ['health', 'religion', 'origin', 'sexual_life', 'judicial'] as const;
export type SensitiveCategory = (typeof sensitiveCategories)[number];

export const noteKinds = ['visit_report', 'observation', 'call', 'incident', 'synthesis'] as const;
export type NoteKind = (typeof noteKinds)[number];

export const noteStatuses = ['draft', 'submitted', 'reviewed', 'changes_requested'] as const;
export type NoteStatus = (typeof noteStatuses)[number];

export const visitStatuses = ['planned', 'done', 'cancelled', 'missed'] as const;
export type VisitStatus = (typeof visitStatuses)[number];

export const personRoles = ['child', 'parent', 'family', 'entourage'] as const;
export type PersonRole = (typeof personRoles)[number];

export const assignmentRoles = ['referent', 'co_referent', 'intervenant'] as const;
export type AssignmentRole = (typeof assignmentRoles)[number];

export const journalActions = ['case.view', 'note.view', 'search', 'export'] as const;
export type JournalAction = (typeof journalActions)[number];

/** Limits shared by the UI (French field messages) and the server (zod). */
export const limits = {
	noteBodyMaxChars: 20_000,
	pushMaxMutations: 100,
	journalMaxEntries: 500,
	reasonMaxChars: 1_000,
	delegationMaxDays: 90,
	emergencyGrantHours: 2
} as const;
