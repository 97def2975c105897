import type { MeasureType } from '../../src/lib/shared/domain';

/**
 * Retention of case files: the ONE place where durations are set. Every other module (the
 * retention engine, the DPO forecast, the information page, the processing register) reads them
 * from here. Source: CNIL référentiel "protection de l'enfance" (délibération n° 2022-008 du
 * 20 janvier 2022), section 7; quotes are verbatim.
 *
 * Rules apply to closed cases only: a measure still in progress is never archived by the clock
 * (the file is then still "nécessaire à l'objectif poursuivi"); the DPO dashboard lists open cases
 * without contact for a long time so that someone closes them.
 *
 * The clock starts at:
 *  - 'last-contact': the last contact with the person (cases.last_contact_at), or the closing
 *    date when no contact was ever recorded (§ 46);
 *  - 'last-operation': the later of the last recorded contact and the end of the measure
 *    (cases.closed_at): "la dernière opération enregistrée ou la dernière mesure sociale décidée".
 */

export interface RetentionRule {
	id: RetentionRuleId;
	measureTypes: readonly MeasureType[];
	/** French label of the processing activity, as shown to the DPO and to the public. */
	label: string;
	startsAt: 'last-contact' | 'last-operation';
	/** Active base, then intermediate archive (readable by the DPO only), in months. */
	activeMonths: number;
	archiveMonths: number;
	/** Where the duration comes from, and the words of the text. */
	reference: string;
	quote: string;
	/** Why the intermediate archive lasts this long (référentiel § 47: it must be justified). */
	archiveJustification: string;
}

export type RetentionRuleId = 'social-follow-up' | 'ip-evaluation' | 'aemo' | 'placement';

const ONPE_TRANSMISSION =
	"« En vue de transmission à l'ONPE et aux ODPE : quinze mois de plus que la durée précédemment indiquée (transmission au plus tard le 30 avril de l'année qui suit l'année civile durant laquelle les mesures ou prestations ont été mises en œuvre, renouvelées ou terminées.) » (référentiel, § 51, tableau, colonne « Archivage intermédiaire » ; décret n° 2016-1966 du 28 décembre 2016).";

export const retentionRules: readonly RetentionRule[] = [
	{
		id: 'social-follow-up',
		measureTypes: ['aed', 'tisf'],
		label: 'Accompagnement social à domicile (AED, intervention TISF)',
		startsAt: 'last-contact',
		activeMonths: 24,
		archiveMonths: 60,
		reference: 'Référentiel CNIL 2022-008, § 46',
		quote:
			"« il est recommandé que les données collectées et traitées pour les besoins de l'accompagnement social et médico-social des mineurs et jeunes majeurs ne soient pas conservées dans la base active au-delà de deux ans à compter du dernier contact émanant de la personne ayant fait l'objet de cet accompagnement »",
		archiveJustification:
			"Choix de l'organisme au titre du § 47 (preuve en cas de contentieux « dans la limite du délai de prescription ») : cinq ans, délai de droit commun des actions personnelles (article 2224 du code civil). À valider par le DPO et à réduire si l'analyse du risque contentieux ne le justifie pas."
	},
	{
		id: 'ip-evaluation',
		measureTypes: ['ip'],
		label: 'Évaluation d’une information préoccupante',
		startsAt: 'last-operation',
		activeMonths: 24,
		archiveMonths: 15,
		reference: 'Référentiel CNIL 2022-008, § 51 (tableau) ; circulaire AD 98-6 du 6 juillet 1998',
		quote:
			"« L'ensemble des données saisies, y compris les aides financières : deux ans à compter de la dernière opération enregistrée ou de la dernière mesure sociale décidée »",
		archiveJustification: ONPE_TRANSMISSION
	},
	{
		id: 'aemo',
		measureTypes: ['aemo'],
		label: 'Action éducative en milieu ouvert (AEMO)',
		startsAt: 'last-operation',
		activeMonths: 60,
		archiveMonths: 15,
		reference: 'Référentiel CNIL 2022-008, § 51 (tableau) ; circulaire AD 98-6 du 6 juillet 1998',
		quote:
			"« Informations relatives aux enfants bénéficiant d'actions éducatives en milieu ouvert : cinq ans à compter de la dernière opération enregistrée ou de la dernière mesure sociale décidée »",
		archiveJustification: ONPE_TRANSMISSION
	},
	{
		id: 'placement',
		// Contrat jeune majeur: an ASE prise en charge (art. L. 222-5 CASF) that in practice extends a
		// placement; its file is the continuation of the child's placement file, which the young adult
		// may need later (origins, history). Splitting it would destroy part of one file early, so it
		// follows the placement rule, the longer and more protective one.
		measureTypes: ['placement', 'cjm'],
		label: 'Placement et contrat jeune majeur',
		startsAt: 'last-operation',
		activeMonths: 120,
		archiveMonths: 15,
		reference: 'Référentiel CNIL 2022-008, § 51 (tableau) ; circulaire AD 98-6 du 6 juillet 1998',
		quote:
			"« Informations relatives aux enfants placés : dix ans à compter de la dernière opération enregistrée ou de la dernière mesure sociale décidée »",
		archiveJustification: ONPE_TRANSMISSION
	}
];

/** The audit trail (référentiel § 68, "Tracer les accès"): the duration itself is AUDIT_RETENTION_DAYS (180 to 365). */
export const auditRetentionRule = {
	label: 'Journal des accès (traces)',
	reference: 'Référentiel CNIL 2022-008, § 68 ; recommandation CNIL n° 2021-122 relative à la journalisation',
	minDays: 180,
	maxDays: 365
} as const;

export function retentionRuleFor(measureType: MeasureType): RetentionRule {
	const rule = retentionRules.find((r) => r.measureTypes.includes(measureType));
	if (!rule) throw new Error(`no retention rule for measure type ${measureType}`);
	return rule;
}
