import { describe, expect, it } from 'vitest';
import { compileWordList, matchWordList } from './compileWordList';
import { normalizeForMatching } from './normalizeForMatching';

function matcher(entries: string[]) {
	const compiled = compileWordList(entries);
	return (text: string) =>
		matchWordList(compiled, text, normalizeForMatching(text)).map(([start, end]) => text.slice(start, end));
}

describe('compileWordList', () => {
	it('matches whole words only, ignoring case and accents', () => {
		const find = matcher(['hystérique']);
		expect(find('Mère HYSTÉRIQUE, mère hysterique, Hystériques.')).toEqual([
			'HYSTÉRIQUE',
			'hysterique',
			'Hystériques'
		]);
		expect(find('Hystériquement, préhystérique')).toEqual([]);
	});

	it('accepts -s and -x plurals on words of three letters or more', () => {
		const find = matcher(['tribunal', 'voyou']);
		expect(find('tribunals, voyous, voyoux')).toEqual(['tribunals', 'voyous', 'voyoux']);
	});

	it('matches a stem followed by any letters', () => {
		const find = matcher(['alcoolis*']);
		expect(find("Alcoolisme, alcoolisée, l'alcoolisation")).toEqual(['Alcoolisme', 'alcoolisée', 'alcoolisation']);
		expect(find('alcool, préalcoolisme')).toEqual([]);
	});

	it('matches expressions across spaces, line breaks and hyphens', () => {
		const find = matcher(['garde à vue', "maison d'arrêt"]);
		expect(find('en garde à vue, en garde-à-vue, en garde\nà  vue, gardes à vue')).toEqual([
			'garde à vue',
			'garde-à-vue',
			'garde\nà  vue',
			'gardes à vue'
		]);
		expect(find('la maison d’arrêt')).toEqual(['maison d’arrêt']);
		expect(find('garde à vous')).toEqual([]);
	});

	it('prefers the longest entry starting at the same place', () => {
		const find = matcher(['trouble*', 'troubles psychiatriques']);
		expect(find('Troubles psychiatriques connus')).toEqual(['Troubles psychiatriques']);
	});

	it('checks accents as written for =entries', () => {
		const find = matcher(['=sale']);
		expect(find('Sale, SALE, sales, salé, salée, salle, SALÉ')).toEqual(['Sale', 'SALE', 'sales']);
	});

	it('refuses accent-exact expressions', () => {
		expect(() => compileWordList(['=mal élevé'])).toThrow();
	});

	it('escapes characters that mean something to regular expressions', () => {
		const find = matcher(['c.m.p']);
		expect(find('c.m.p et cxmxp')).toEqual(['c.m.p']);
	});
});
