import type { CaseStatus } from '../../src/lib/shared/domain';

/**
 * When erasure may be refused (RGPD art. 17.3, as the référentiel § 64 recalls it). Two are
 * checked by Carnet itself and block; the others are for the DPO to rule out, and the request
 * must say so (confirmNoException).
 */
export const erasureExceptions = [
	{
		id: 'measure-in-progress',
		checked: true,
		label: 'La mesure est en cours',
		explanation:
			'Le traitement est nécessaire à l’exécution d’une mission d’intérêt public ou au respect d’une obligation légale (décision du juge des enfants, mesure de l’ASE) : art. 17.3 b) du RGPD. Seule une donnée qui n’aurait jamais dû être collectée peut être effacée, fiche par fiche.'
	},
	{
		id: 'limitation-pending',
		checked: true,
		label: 'Une limitation du traitement est en cours',
		explanation: 'La personne conteste ses données et les vérifications ne sont pas terminées : levez d’abord le gel (art. 18 du RGPD).'
	},
	{
		id: 'legal-obligation',
		checked: false,
		label: 'Obligation légale de conservation',
		explanation:
			'Durées fixées par les textes (transmission à l’ONPE et aux ODPE, décret n° 2016-1966 ; circulaire AD 98-6) : art. 17.3 b) du RGPD.'
	},
	{
		id: 'legal-claims',
		checked: false,
		label: 'Contentieux en cours ou prévisible',
		explanation: 'Constatation, exercice ou défense de droits en justice, recours contre un tiers : art. 17.3 e) du RGPD.'
	},
	{
		id: 'public-archives',
		checked: false,
		label: 'Archives publiques',
		explanation: 'Versement aux archives départementales prévu par le code du patrimoine (organismes publics ou chargés d’une mission de service public) : art. 17.3 d) du RGPD.'
	}
] as const;

export type ErasureExceptionId = (typeof erasureExceptions)[number]['id'];

/** The grounds of art. 17.1 a DPO may record for an erasure. */
export const erasureGrounds = ['no-longer-necessary', 'objection-upheld', 'unlawful-processing', 'consent-withdrawn', 'legal-obligation-to-erase'] as const;
export type ErasureGround = (typeof erasureGrounds)[number];

/** The checked exceptions that apply now; an empty list lets the erasure go ahead. */
export function blockingErasureExceptions(input: {
	caseStatus: CaseStatus;
	personFrozen: boolean;
	scope: 'person' | 'case';
	ground: ErasureGround;
}): ErasureExceptionId[] {
	const found: ErasureExceptionId[] = [];
	const wronglyCollected = input.scope === 'person' && input.ground === 'unlawful-processing';
	if (input.caseStatus === 'open' && !wronglyCollected) found.push('measure-in-progress');
	if (input.personFrozen) found.push('limitation-pending');
	return found;
}
