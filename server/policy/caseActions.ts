/**
 * What a user wants to do with a case and its rows (persons, notes, visits):
 * - read: see the content (workers on their caseload, leads on their team);
 * - write: add or edit notes and visits (the caseload only, and only while the case is open);
 * - review: review notes and assignments (the lead of the case's team);
 * - administer: assignments and delegations, never content (administrator, team lead);
 * - audit: the audit trail and rights of the persons (the DPO of the organisation).
 */
export const caseActions = ['read', 'write', 'review', 'administer', 'audit'] as const;
export type CaseAction = (typeof caseActions)[number];
