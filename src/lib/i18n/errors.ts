import type { ApiErrorInfo } from '$lib/api/client';

/** French sentences for every error code; the one place where codes become words. */
const messages: Record<ApiErrorInfo['appCode'], string> = {
	'invalid-input': 'Certaines informations sont invalides : vérifiez les champs signalés.',
	'invalid-credentials': 'Identifiant ou mot de passe incorrect.',
	'login-throttled': 'Trop de tentatives. Réessayez dans {retry}.',
	unauthenticated: 'Votre session a expiré : reconnectez-vous.',
	'password-change-required': 'Vous devez d’abord changer votre mot de passe.',
	'password-too-weak': 'Ce mot de passe est trop faible.',
	'password-reused': 'Le nouveau mot de passe doit être différent de l’ancien.',
	forbidden: 'Vous n’avez pas accès à cette fonction.',
	'not-found-or-no-access': 'Élément introuvable, ou vous n’y avez pas accès.',
	'device-revoked': 'Cet appareil a été révoqué : ses données ont été effacées.',
	'payload-too-large': 'Envoi trop volumineux : réduisez la taille du texte.',
	'origin-mismatch': 'Requête refusée (origine inconnue).',
	conflict: 'Cette fiche a été modifiée entre-temps : vos changements sont conservés à part.',
	internal: 'Le serveur a rencontré un problème. Vos données sont conservées ; réessayez dans un instant.',
	'account-conflict': 'Ce compte a été modifié entre-temps par quelqu’un d’autre : rechargez la fiche pour voir ses changements, puis refaites les vôtres.',
	'username-taken': 'Cet identifiant est déjà utilisé : choisissez-en un autre.',
	'team-organisation-mismatch': 'Cette équipe appartient à une autre organisation que le compte.',
	'cannot-disable-self': 'Vous ne pouvez ni désactiver votre propre compte ni lui retirer le rôle d’administrateur.',
	'cross-organisation-required': 'Cette personne appartient à une autre organisation : cochez « Intervenant d’une autre organisation » pour confirmer ce partage du dossier.',
	'already-assigned': 'Cette personne est déjà affectée à ce dossier avec ce rôle.',
	'reason-required': 'Indiquez le motif : il est obligatoire et sera inscrit au journal d’audit.',
	'delegation-end-required': 'Indiquez une date de fin : une suppléance est toujours limitée dans le temps.',
	'delegation-end-in-past': 'La date de fin doit être dans le futur et après la date de début.',
	'delegation-too-long': 'Une suppléance ne peut pas dépasser 90 jours : choisissez une date de fin plus proche.',
	'delegation-same-person': 'La personne suppléante doit être différente de la personne absente.',
	'delegation-other-organisation': 'La suppléance se fait entre collègues d’une même organisation.',
	'emergency-not-needed': 'Vous avez déjà accès à ce dossier : l’accès d’urgence n’est pas nécessaire.',
	'note-changed': 'Cette note a été modifiée par son auteur entre-temps : relisez la nouvelle version avant de décider.',
	'comment-required': 'Écrivez un commentaire pour expliquer ce qui est à reprendre.',
	'request-closed': 'Cette demande est déjà close.',
	'deadline-already-extended': 'Le délai de cette demande a déjà été prolongé (trois mois au plus).',
	'erasure-refused': 'L’effacement n’est pas possible : une exception prévue par la loi s’applique.',
	'nothing-to-change': 'Aucune modification : les valeurs saisies sont identiques aux valeurs enregistrées.',
	network: 'Pas de connexion au serveur. Vos données restent sur cet appareil ; réessayez quand le réseau revient.'
};

export function describeError(info: ApiErrorInfo): string {
	const template = messages[info.appCode] ?? messages.internal;
	const retry = Number(info.details.retryAfterSeconds ?? 0);
	return template.replace('{retry}', formatDelay(retry));
}

function formatDelay(seconds: number): string {
	if (seconds >= 120) return `${Math.ceil(seconds / 60)} minutes`;
	if (seconds > 1) return `${seconds} secondes`;
	return 'une seconde';
}
