import type { AssignmentRole, MeasureType, NoteKind, NoteStatus, PersonRole, Role, VisitStatus } from '$lib/shared/domain';

/** French labels of the domain's enumerations (sensitive categories: $lib/guard/categoryLabels). */

export const measureLabels: Record<MeasureType, string> = {
	aed: 'AED',
	aemo: 'AEMO',
	placement: 'Placement',
	tisf: 'Intervention TISF',
	cjm: 'Contrat jeune majeur',
	ip: 'Évaluation IP'
};

export const noteKindLabels: Record<NoteKind, string> = {
	visit_report: 'Compte rendu de visite',
	observation: 'Observation',
	call: 'Appel',
	incident: 'Incident',
	synthesis: 'Synthèse'
};

export const noteStatusLabels: Record<NoteStatus, string> = {
	draft: 'Brouillon',
	submitted: 'Envoyée',
	reviewed: 'Relue',
	changes_requested: 'À reprendre'
};

export const visitStatusLabels: Record<VisitStatus, string> = {
	planned: 'Prévue',
	done: 'Effectuée',
	cancelled: 'Annulée',
	missed: 'Absence de la famille'
};

export const personRoleLabels: Record<PersonRole, string> = {
	child: 'Enfant',
	parent: 'Parent',
	family: 'Famille',
	entourage: 'Entourage'
};

export const assignmentRoleLabels: Record<AssignmentRole, string> = {
	referent: 'Référent·e',
	co_referent: 'Co-référent·e',
	intervenant: 'Intervenant·e'
};

export const roleLabels: Record<Role, string> = {
	worker: 'Professionnel·le de terrain',
	lead: 'Chef·fe de service',
	admin: 'Administrateur·rice',
	dpo: 'Délégué·e à la protection des données'
};

export function formatDate(iso: string | null | undefined): string {
	if (!iso) return '—';
	const date = new Date(iso.length === 10 ? `${iso}T12:00:00` : iso);
	return date.toLocaleDateString('fr-FR', { day: 'numeric', month: 'short', year: 'numeric' });
}

export function formatDateTime(iso: string | null | undefined): string {
	if (!iso) return '—';
	return new Date(iso).toLocaleString('fr-FR', { dateStyle: 'medium', timeStyle: 'short' });
}
