import { controller, dataCategories, purposes, recipients, retentionSchedule, rightsText, transfers } from './processingRegister';
import { retentionRules } from '../retention/retentionRules';

/**
 * The information notice (RGPD art. 13 and 14; référentiel section 8), built from the register so
 * that what people are told is what the software does. Plain data, sent to the public pages
 * /informations and /informations/jeunes by their +page.server.ts.
 */
export function informationNotice() {
	return {
		controller,
		purposes: purposes.map((p) => ({ purpose: p.purpose, basisPublic: p.basisPublic, basisPrivate: p.basisPrivate, applied: p.applied })),
		dataCategories: [...dataCategories],
		sources:
			'Les informations proviennent de vous et de votre famille, des professionnels qui vous accompagnent, du service de l’aide sociale à l’enfance et, le cas échéant, du juge des enfants.',
		recipients: [...recipients],
		transfers,
		retention: retentionSchedule(),
		rights: rightsText,
		automatedDecision: 'Aucune décision n’est prise de manière automatisée : chaque décision est prise par des professionnels.',
		security:
			'Chaque professionnel n’accède qu’aux dossiers qu’il suit. Les consultations, y compris hors connexion, sont enregistrées et contrôlées par le DPO. Les données conservées sur les tablettes et téléphones sont chiffrées.'
	};
}

/** The same notice in words a child or a teenager can read (référentiel § 62 and 63). */
export function youthInformationNotice() {
	const shortest = Math.min(...retentionRules.map((r) => r.activeMonths)) / 12;
	const longest = Math.max(...retentionRules.map((r) => r.activeMonths)) / 12;
	return {
		controller: { name: controller.name, dpoEmail: controller.dpo.email, dpoPostalAddress: controller.dpo.postalAddress },
		sections: [
			{
				title: 'Pourquoi on écrit des choses sur toi ?',
				text: `Les professionnels de ${controller.name} t’accompagnent, toi et ta famille. Pour bien t’aider et ne pas te reposer les mêmes questions, ils notent des informations dans un dossier : ton nom, ta date de naissance, comment tu vas, ce qui se passe pendant les rendez-vous.`
			},
			{
				title: 'Qui peut lire ton dossier ?',
				text: 'Seulement les professionnels qui s’occupent de toi, leur chef de service, et parfois le service de l’aide sociale à l’enfance ou le juge des enfants. Les autres salariés ne peuvent pas le lire. Chaque fois que quelqu’un ouvre ton dossier, c’est enregistré, et une personne (le « DPO ») vérifie que personne ne regarde sans raison.'
			},
			{
				title: 'Combien de temps on le garde ?',
				text: `Pas pour toujours. Selon ton accompagnement, le dossier est gardé entre ${shortest} et ${longest} ans après la fin de l’accompagnement ou le dernier contact. Ensuite il est rangé à part pendant un temps limité, puis il est détruit.`
			},
			{
				title: 'Tes droits',
				text: 'Tu peux demander à voir ce qui est écrit sur toi, faire corriger une erreur, demander qu’on efface ou qu’on mette en pause certaines informations. Tu peux te faire aider par un adulte de confiance. C’est gratuit, et on doit te répondre en un mois.'
			},
			{
				title: 'Comment faire ?',
				text: `Parle-en à ton éducateur ou à ton éducatrice, ou écris au DPO : ${controller.dpo.email}, ou par courrier : ${controller.dpo.postalAddress}.`
			},
			{
				title: 'Si ça ne va pas',
				text: 'Si tu penses que tes droits ne sont pas respectés, tu peux te plaindre à la CNIL, qui protège les données de tout le monde : sur www.cnil.fr/fr/plaintes. Tu peux aussi contacter le Défenseur des droits (enfants) au 09 69 39 00 00.'
			}
		]
	};
}

export type InformationNotice = ReturnType<typeof informationNotice>;
export type YouthInformationNotice = ReturnType<typeof youthInformationNotice>;
