import type { SyncErrorCode } from '$lib/sync';
import type { RejectionCode } from '$lib/shared/sync';

/** French for sync states and problems: what happened, and what to do. */
export const syncErrorText: Record<SyncErrorCode, string> = {
	network: 'Hors ligne : vos notes restent sur cet appareil et partiront au retour du réseau.',
	unauthenticated: 'Votre session a expiré : reconnectez-vous pour synchroniser. Vos données restent sur cet appareil.',
	server: 'Le serveur ne répond pas correctement : nouvel essai automatique dans quelques instants.',
	wiped: 'Cet appareil a été révoqué : ses données ont été effacées.',
	locked: 'Carnet est verrouillé.',
	busy: 'Une autre fenêtre de Carnet enregistre les mêmes notes : nouvel essai automatique dans quelques instants. Rien n’a été perdu.',
	quota: 'L’espace de stockage de l’appareil est plein : libérez de la place (photos, applications), puis synchronisez. Rien de ce qui est déjà enregistré n’a été perdu.'
};

export const rejectionText: Record<RejectionCode, string> = {
	'not-found-or-no-access': 'Ce dossier ne vous est plus attribué. Votre texte est conservé en brouillon : contactez votre chef·fe de service.',
	frozen: 'Les données de cette personne sont gelées (demande de limitation). Votre texte est conservé en brouillon.',
	invalid: 'Le serveur a refusé cette note (contenu invalide). Votre texte est conservé en brouillon : vérifiez-le et renvoyez-le.',
	'already-reviewed': 'Cette note a déjà été relue : elle ne peut plus être modifiée. Votre texte est conservé en brouillon ; envoyez-le comme nouvelle note si besoin.',
	'case-closed': 'Ce dossier est clôturé : il n’accepte plus de nouvelle note. Votre texte est conservé en brouillon.'
};

export const conflictText =
	'Cette note avait été modifiée ailleurs entre-temps. Les deux versions sont conservées : la vôtre apparaît comme « version en conflit » dans le dossier.';

export function formatRelative(iso: string | null, now = Date.now()): string {
	if (!iso) return 'jamais';
	const minutes = Math.round((now - new Date(iso).getTime()) / 60_000);
	if (minutes < 1) return 'à l’instant';
	if (minutes < 60) return `il y a ${minutes} min`;
	const hours = Math.round(minutes / 60);
	if (hours < 24) return `il y a ${hours} h`;
	return new Date(iso).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
}
