import { auditRetentionRule, retentionRules } from '../retention/retentionRules';

/**
 * The processing as the controller declares it: the one source of the information notice
 * (/informations, /informations/jeunes) and of the register entry (article 30 RGPD) exported
 * by the DPO. Retention comes from server/retention/retentionRules.ts. The controller block is
 * what a deployment edits (the demo values are fictitious).
 */
export const controller = {
	name: 'Association Demo',
	kind: 'Personne morale de droit privé gérant un service public (établissements et services habilités ASE et PJJ)',
	address: '1 rue de l’Exemple, 99000 Démoville',
	contact: 'direction@association-demo.example',
	dpo: {
		name: 'Délégué à la protection des données (DPO)',
		email: 'dpo@association-demo.example',
		postalAddress: 'Association Demo — DPO, 1 rue de l’Exemple, 99000 Démoville'
	}
} as const;

/** The purposes of section 3 that Carnet carries, with the legal bases of section 4 (table). */
export const purposes = [
	{
		purpose:
			'Offrir un accompagnement social, judiciaire, socio-éducatif et médico-social adapté aux difficultés rencontrées par le mineur ou jeune majeur et, le cas échéant, sa famille (suivi des mesures AED, AEMO, placement, contrat jeune majeur, intervention TISF).',
		basisPublic: 'Mission d’intérêt public',
		basisPrivate: 'Intérêts légitimes',
		applied: 'Mission d’intérêt public (art. 6.1 e) du RGPD)'
	},
	{
		purpose:
			'Échanger et partager les informations strictement nécessaires permettant de garantir la coordination et la continuité de l’accompagnement et du suivi des personnes entre les intervenants sociaux, médicaux et paramédicaux.',
		basisPublic: 'Mission d’intérêt public',
		basisPrivate: 'Intérêts légitimes',
		applied: 'Mission d’intérêt public (art. 6.1 e) du RGPD)'
	},
	{
		purpose:
			'Gérer le recueil, le traitement et l’évaluation des informations préoccupantes relatives à l’enfance en danger ; transmettre les informations à l’ONPE, à l’ODPE et entre départements.',
		basisPublic: 'Mission d’intérêt public ; transmission : obligation légale (art. L. 226-3-3 et L. 221-3 du CASF)',
		basisPrivate: 'Mission d’intérêt public ; transmission : obligation légale (art. L. 226-3-3 et L. 221-3 du CASF)',
		applied: 'Mission d’intérêt public (art. 6.1 e) ; obligation légale pour les transmissions (art. 6.1 c) du RGPD)'
	},
	{
		purpose:
			'Fournir les prestations définies entre l’organisme et le représentant légal du mineur ou le jeune majeur et assurer la gestion du dossier administratif de la personne concernée.',
		basisPublic: 'Exécution du contrat ou mission d’intérêt public',
		basisPrivate: 'Exécution du contrat ou intérêts légitimes',
		applied: 'Mission d’intérêt public (art. 6.1 e) du RGPD)'
	},
	{
		purpose: 'Établir des statistiques et des études internes aux fins d’évaluation des activités, de la qualité des prestations et des besoins à couvrir.',
		basisPublic: 'Obligation légale ou mission d’intérêt public',
		basisPrivate: 'Obligation légale ou intérêts légitimes',
		applied: 'Mission d’intérêt public (art. 6.1 e) du RGPD)'
	}
] as const;

export const dataSubjects = [
	'Mineurs et jeunes majeurs de moins de vingt et un ans accompagnés',
	'Leurs représentants légaux et les membres de leur famille',
	'Les personnes de leur entourage susceptibles d’être contactées',
	'Les professionnels utilisateurs de Carnet (comptes et traces d’accès)'
] as const;

export const dataCategories = [
	'Identification (nom, prénom, date de naissance) et coordonnées',
	'Vie personnelle et situation familiale',
	'Type d’accompagnement, actions mises en œuvre, visites et comptes rendus',
	'Évaluation sociale et médico-sociale ; informations préoccupantes',
	'Données sensibles (santé, religion, origine, vie sexuelle) et données relatives aux procédures judiciaires, seulement lorsqu’elles sont strictement nécessaires : lisibles par les seuls professionnels habilités, jamais recherchables',
	'Traces d’accès des utilisateurs (identifiant, date, appareil, en ligne ou hors ligne)'
] as const;

export const recipients = [
	'Les professionnels de l’organisme en charge de la mesure, dans la limite de leur besoin d’en connaître (référent, co-référent, intervenants, suppléant désigné pour une durée limitée)',
	'Le chef de service de l’équipe, pour la relecture des écrits',
	'Le service départemental de l’aide sociale à l’enfance et l’autorité judiciaire, dans le cadre de la mesure',
	'L’ONPE et l’ODPE, sous forme anonymisée (décret n° 2016-1966)',
	'Le délégué à la protection des données, pour le contrôle des accès et l’exercice des droits',
	'Les prestataires d’aide à domicile, pour les seuls dossiers qui leur sont confiés'
] as const;

export const transfers = 'Aucun transfert de données hors de l’Union européenne.';

export const rightsText = {
	list: [
		{ right: 'Accès', text: 'savoir si des données vous concernant sont traitées et en obtenir une copie.' },
		{ right: 'Rectification', text: 'faire corriger des informations inexactes ou incomplètes.' },
		{ right: 'Effacement', text: 'demander l’effacement de vos données, sauf lorsque la loi impose de les conserver (mesure en cours, obligation légale, contentieux).' },
		{ right: 'Limitation', text: 'demander le gel temporaire de vos données, par exemple le temps de vérifier une information que vous contestez.' },
		{ right: 'Opposition', text: 'vous opposer au traitement pour des raisons tenant à votre situation particulière, sauf motifs légitimes et impérieux de l’organisme ou obligation légale.' },
		{ right: 'Portabilité', text: 'récupérer les données que vous avez fournies, dans un format lisible par machine, lorsque les conditions du RGPD sont réunies.' }
	],
	howTo:
		'Écrivez au délégué à la protection des données, par courriel ou par courrier, en précisant le droit que vous exercez. Une réponse vous est apportée dans un délai d’un mois ; ce délai peut être prolongé de deux mois si la demande est complexe, et vous en êtes alors informé dans le premier mois. L’exercice des droits est gratuit.',
	complaint:
		'Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la Commission nationale de l’informatique et des libertés (CNIL) : en ligne sur www.cnil.fr/fr/plaintes, ou par courrier à CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07.'
} as const;

export function retentionSchedule() {
	const years = (months: number) => (months % 12 === 0 ? `${months / 12} an${months >= 24 ? 's' : ''}` : `${months} mois`);
	return [
		...retentionRules.map((rule) => ({
			activity: rule.label,
			active: `${years(rule.activeMonths)} à compter ${rule.startsAt === 'last-contact' ? 'du dernier contact' : 'de la dernière opération enregistrée ou de la fin de la mesure'}`,
			archive: `${years(rule.archiveMonths)} de plus en archivage intermédiaire (consultation réservée au DPO), puis destruction`,
			reference: rule.reference
		})),
		{
			activity: auditRetentionRule.label,
			active: `${auditRetentionRule.minDays} jours à un an selon le paramétrage de l’organisme, puis suppression`,
			archive: 'Pas d’archivage intermédiaire',
			reference: auditRetentionRule.reference
		}
	];
}

/** The entry of the register of processing activities (article 30.1 RGPD). */
export function processingRegisterEntry(securityMeasures: { category: string; measure: string; status: string }[]) {
	return {
		name: 'Carnet — suivi des mesures de protection de l’enfance',
		updatedFrom: 'Référentiel CNIL relatif aux traitements mis en œuvre dans le cadre de la protection de l’enfance (délibération n° 2022-008 du 20 janvier 2022)',
		controller,
		purposes: purposes.map((p) => ({ purpose: p.purpose, legalBasis: p.applied })),
		dataSubjects,
		dataCategories,
		recipients,
		transfers,
		retention: retentionSchedule(),
		securityMeasures,
		impactAssessment: 'AIPD requise (référentiel § 70) : à réaliser et tenir à jour par le responsable de traitement, avec l’avis du DPO.'
	};
}
