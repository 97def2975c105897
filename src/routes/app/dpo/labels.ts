import type { Role } from '$lib/shared/domain';

// One French wording of the domain for every screen.
export { measureLabels, personRoleLabels, noteKindLabels } from '$lib/i18n/labels';

/** French words of the DPO screens: actions of the audit trail, roles, measures. */

const actionLabels: Record<string, string> = {
	'sync.pull': 'Téléchargement sur l’appareil',
	'sync.push': 'Envoi de modifications',
	'journal.case.view': 'Consultation du dossier',
	'journal.note.view': 'Lecture d’une note',
	'journal.search': 'Recherche',
	'journal.export': 'Export',
	'case.view': 'Consultation du dossier',
	'note.view': 'Lecture d’une note',
	'auth.login': 'Connexion',
	'auth.logout': 'Déconnexion',
	'auth.lock': 'Verrouillage du compte',
	'auth.password-change': 'Changement de mot de passe',
	'emergency.grant': 'Accès d’urgence accordé',
	'emergency.revoke': 'Accès d’urgence retiré',
	'device.wipe.acknowledged': 'Effacement de l’appareil confirmé',
	'retention.run': 'Passage de la conservation',
	'retention.archive': 'Archivage intermédiaire',
	'retention.destroy': 'Destruction',
	'retention.archive.read': 'Lecture d’une archive (DPO)',
	'retention.dry-run': 'Simulation de la conservation',
	'rights.request': 'Demande d’exercice de droits',
	'rights.extend': 'Prolongation du délai',
	'rights.close': 'Réponse à une demande',
	'rights.export': 'Export des données d’une personne',
	'rights.limitation': 'Limitation du traitement',
	'rights.rectification': 'Rectification',
	'rights.erasure': 'Effacement',
	'rights.person.search': 'Recherche de personne (DPO)',
	'audit.verify': 'Vérification d’intégrité',
	'audit.export': 'Export du journal',
	'demo.seed': 'Données de démonstration'
};

export function actionLabel(action: string): string {
	return actionLabels[action] ?? action;
}

export const outcomeLabels: Record<string, string> = {
	success: 'Réussi',
	failure: 'Échec',
	denied: 'Refusé',
	incident: 'Incident'
};

export const roleLabels: Record<Role, string> = {
	worker: 'Intervenant',
	lead: 'Chef de service',
	admin: 'Administrateur',
	dpo: 'DPO'
};

export const rightsKindLabels: Record<string, string> = {
	access: 'Accès',
	rectification: 'Rectification',
	erasure: 'Effacement',
	limitation: 'Limitation',
	opposition: 'Opposition',
	portability: 'Portabilité'
};

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
const dateOnly = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' });

export function formatDateTime(iso: string | null | undefined): string {
	return iso ? dateTime.format(new Date(iso)) : '—';
}

/** A calendar date (YYYY-MM-DD or an ISO instant at midnight UTC). */
export function formatDate(value: string | null | undefined): string {
	if (!value) return '—';
	return dateOnly.format(new Date(value.length === 10 ? `${value}T00:00:00Z` : value));
}
