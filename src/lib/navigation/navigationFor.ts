import type { Role } from '$lib/shared/domain';

export interface NavigationLink {
	href: string;
	label: string;
}

/** The menu of each role. Pages check access on the server too: this only hides what would be refused. */
export function navigationFor(role: Role): NavigationLink[] {
	switch (role) {
		case 'worker':
			return [
				{ href: '/app', label: 'Mes dossiers' },
				{ href: '/app/urgence', label: 'Accès d’urgence' },
				{ href: '/app/compte', label: 'Mon compte' }
			];
		case 'lead':
			return [
				{ href: '/app/equipe/relecture', label: 'Relecture' },
				{ href: '/app/equipe', label: 'Équipe' },
				{ href: '/app/equipe/suppleances', label: 'Suppléances et urgences' },
				{ href: '/app/compte', label: 'Mon compte' }
			];
		case 'admin':
			return [
				{ href: '/app/admin/comptes', label: 'Comptes' },
				{ href: '/app/admin/equipes', label: 'Organisations et équipes' },
				{ href: '/app/admin/appareils', label: 'Appareils' },
				{ href: '/app/admin/revue', label: 'Revue des habilitations' },
				{ href: '/app/compte', label: 'Mon compte' }
			];
		case 'dpo':
			return [
				{ href: '/app/dpo/audit', label: 'Journal d’audit' },
				{ href: '/app/dpo/conservation', label: 'Conservation' },
				{ href: '/app/dpo/droits', label: 'Droits des personnes' },
				{ href: '/app/dpo/registre', label: 'Registre et mesures' },
				{ href: '/app/compte', label: 'Mon compte' }
			];
		default:
			return [];
	}
}

/** Where each role lands after sign-in. */
export function homeFor(role: Role): string {
	return navigationFor(role)[0]?.href ?? '/app';
}
