import type { SensitiveCategory } from '$lib/shared/domain';

/** French names of the sensitive categories, as the worker sees them on tags and buttons. */
export const categoryLabels: Record<SensitiveCategory, string> = {
	health: 'Santé',
	religion: 'Religion',
	origin: 'Origine',
	sexual_life: 'Vie sexuelle',
	judicial: 'Judiciaire'
};
