import type { api } from '$lib/api/client';

export type FoundPerson = Awaited<ReturnType<typeof api.dpo.rights.findPersons.query>>[number];
export type RightsList = Awaited<ReturnType<typeof api.dpo.rights.list.query>>;

/** The person the DPO is acting on (from a request or a search). */
export interface SelectedPerson {
	id: string;
	label: string;
	frozen: boolean;
	caseReference: string | null;
}
