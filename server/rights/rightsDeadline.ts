import { addMonths } from '../retention/retentionSchedule';

/**
 * RGPD art. 12.3 and référentiel § 65: an answer "dans un délai d'un mois maximum", which may be
 * extended when the request is complex, the person being told within the first month, "dans un
 * délai qui ne peut pas dépasser trois mois" in all.
 */
export const RIGHTS_ANSWER_MONTHS = 1;
export const RIGHTS_EXTENDED_MONTHS = 3;

export function rightsDueDate(receivedAt: string, extended: boolean): string {
	const received = new Date(`${receivedAt}T00:00:00Z`);
	return addMonths(received, extended ? RIGHTS_EXTENDED_MONTHS : RIGHTS_ANSWER_MONTHS).toISOString().slice(0, 10);
}

/** Whole days from `today` to the due date (negative when late). */
export function daysLeft(dueAt: string, today: string): number {
	return Math.round((Date.parse(`${dueAt}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}
