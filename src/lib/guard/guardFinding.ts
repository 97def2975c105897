import type { SensitiveCategory } from '$lib/shared/domain';

/**
 * What the free-text guard says about each kind of finding. One French sentence per kind;
 * the UI shows it as is.
 */
const messages: Record<GuardKind, string> = {
	nir: 'Numéro de sécurité sociale détecté : il n’a pas sa place dans une note.',
	phone: 'Numéro de téléphone détecté : enregistrez-le dans la fiche de la personne plutôt que dans la note.',
	email: 'Adresse e-mail détectée : enregistrez-la dans la fiche de la personne plutôt que dans la note.',
	health: 'Terme relevant de la santé : marquez la note « Santé » ou reformulez.',
	religion: 'Terme relevant des convictions religieuses : marquez la note « Religion » ou reformulez.',
	origin: 'Terme relevant de l’origine : marquez la note « Origine » ou reformulez.',
	sexual_life: 'Terme relevant de la vie sexuelle : marquez la note « Vie sexuelle » ou reformulez.',
	judicial: 'Terme relevant du judiciaire : marquez la note « Judiciaire » ou reformulez.',
	judgemental:
		'Formulation qui peut être perçue comme jugeante : décrivez plutôt les faits observés.'
};

/** Builds the finding for `text.slice(start, end)`, with its French message and suggestion. */
export function createFinding(text: string, kind: GuardKind, start: number, end: number): GuardFinding {
	const base = { start, end, match: text.slice(start, end), message: messages[kind] };
	switch (kind) {
		case 'nir':
		case 'phone':
		case 'email':
			return { ...base, kind, suggestion: 'remove' };
		case 'judgemental':
			return { ...base, kind, suggestion: 'rephrase' };
		default:
			return { ...base, kind, suggestion: 'tag-category', category: kind };
	}
}

export type IdentifierKind = 'nir' | 'phone' | 'email';
export type GuardKind = IdentifierKind | SensitiveCategory | 'judgemental';

interface FindingBase {
	/** UTF-16 offsets in the original text: `text.slice(start, end) === match`. */
	start: number;
	end: number;
	match: string;
	/** One French sentence saying why the passage is flagged. */
	message: string;
}

/** A direct identifier: it belongs in the person's record, not in the note. */
export interface IdentifierFinding extends FindingBase {
	kind: IdentifierKind;
	suggestion: 'remove';
}

/** Sensitive vocabulary: tag the note with the category (restricts who may read it) or rephrase. */
export interface SensitiveFinding extends FindingBase {
	kind: SensitiveCategory;
	suggestion: 'tag-category';
	category: SensitiveCategory;
}

export interface JudgementalFinding extends FindingBase {
	kind: 'judgemental';
	suggestion: 'rephrase';
}

export type GuardFinding = IdentifierFinding | SensitiveFinding | JudgementalFinding;
export type GuardSuggestion = GuardFinding['suggestion'];

/** A span found by one detector, before it becomes a finding. */
export interface GuardSpan {
	kind: GuardKind;
	start: number;
	end: number;
}
