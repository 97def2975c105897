import { describe, expect, it } from 'vitest';
import { checkFreeText } from './checkFreeText';

describe('checkFreeText', () => {
	it('returns nothing for an ordinary visit note', () => {
		expect(
			checkFreeText(
				"Visite au domicile, l'enfant a fait ses devoirs avec sa mère, bonne ambiance. " +
					'Prochain rendez-vous le 12/03/2024 à 14 h au 3 rue de la Salle, 75012 Paris. ' +
					'Reste à payer : 1 250,00 € (facture 123456789012345). Plat salé au déjeuner.'
			)
		).toEqual([]);
	});

	it('returns exact findings, sorted, with French messages and suggestions', () => {
		const text =
			'NIR 1 85 05 78 006 084 91, tél. 06 12 34 56 78, mail jean.dupont@exemple.fr. ' +
			'Mère hystérique, père en garde à vue, suivi psychiatrique, famille musulmane, ' +
			'origine maghrébine, vie sexuelle évoquée.';
		expect(checkFreeText(text)).toEqual([
			{
				kind: 'nir',
				start: 4,
				end: 25,
				match: '1 85 05 78 006 084 91',
				message: 'Numéro de sécurité sociale détecté : il n’a pas sa place dans une note.',
				suggestion: 'remove'
			},
			{
				kind: 'phone',
				start: 32,
				end: 46,
				match: '06 12 34 56 78',
				message:
					'Numéro de téléphone détecté : enregistrez-le dans la fiche de la personne plutôt que dans la note.',
				suggestion: 'remove'
			},
			{
				kind: 'email',
				start: 53,
				end: 75,
				match: 'jean.dupont@exemple.fr',
				message:
					'Adresse e-mail détectée : enregistrez-la dans la fiche de la personne plutôt que dans la note.',
				suggestion: 'remove'
			},
			{
				kind: 'judgemental',
				start: 82,
				end: 92,
				match: 'hystérique',
				message: 'Formulation qui peut être perçue comme jugeante : décrivez plutôt les faits observés.',
				suggestion: 'rephrase'
			},
			{
				kind: 'judicial',
				start: 102,
				end: 113,
				match: 'garde à vue',
				message: 'Terme relevant du judiciaire : marquez la note « Judiciaire » ou reformulez.',
				suggestion: 'tag-category',
				category: 'judicial'
			},
			{
				kind: 'health',
				start: 121,
				end: 134,
				match: 'psychiatrique',
				message: 'Terme relevant de la santé : marquez la note « Santé » ou reformulez.',
				suggestion: 'tag-category',
				category: 'health'
			},
			{
				kind: 'religion',
				start: 144,
				end: 153,
				match: 'musulmane',
				message:
					'Terme relevant des convictions religieuses : marquez la note « Religion » ou reformulez.',
				suggestion: 'tag-category',
				category: 'religion'
			},
			{
				kind: 'origin',
				start: 163,
				end: 173,
				match: 'maghrébine',
				message: 'Terme relevant de l’origine : marquez la note « Origine » ou reformulez.',
				suggestion: 'tag-category',
				category: 'origin'
			},
			{
				kind: 'sexual_life',
				start: 175,
				end: 187,
				match: 'vie sexuelle',
				message: 'Terme relevant de la vie sexuelle : marquez la note « Vie sexuelle » ou reformulez.',
				suggestion: 'tag-category',
				category: 'sexual_life'
			}
		]);
	});

	it('reports offsets in the original text despite accents, ligatures and decomposed letters', () => {
		const decomposed = 'Sœur d’un père ALCOOLIQUE, mère de\u0301pressive, HYSTÉRIQUES tous deux.';
		const findings = checkFreeText(decomposed);
		expect(findings.map((f) => [f.kind, f.match])).toEqual([
			['health', 'ALCOOLIQUE'],
			['health', 'de\u0301pressive'],
			['judgemental', 'HYSTÉRIQUES']
		]);
		for (const finding of findings) {
			expect(decomposed.slice(finding.start, finding.end)).toBe(finding.match);
		}
	});

	it('keeps one finding per passage when detectors overlap', () => {
		// "sale" inside an e-mail address: the address wins.
		expect(checkFreeText('Écrire à sale.gosse@exemple.fr').map((f) => [f.kind, f.match])).toEqual([
			['email', 'sale.gosse@exemple.fr']
		]);
	});

	it('does not take a 15-digit number with a wrong key for a NIR', () => {
		expect(checkFreeText('Dossier 1 85 05 78 006 084 92')).toEqual([]);
	});

	it('flags "sale" gently but not "salle" nor "salé"', () => {
		const findings = checkFreeText('Salle propre, repas salé, linge sale.');
		expect(findings.map((f) => [f.kind, f.match, f.start])).toEqual([['judgemental', 'sale', 32]]);
	});

	it('returns nothing for an empty text', () => {
		expect(checkFreeText('')).toEqual([]);
	});
});
