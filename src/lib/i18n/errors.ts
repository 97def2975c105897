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
