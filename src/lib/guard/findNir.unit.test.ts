import { describe, expect, it } from 'vitest';
import { findNir, isValidNir } from './findNir';

function found(text: string) {
	return findNir(text).map(({ start, end }) => text.slice(start, end));
}

describe('isValidNir', () => {
	it('accepts a number whose key is 97 − (number mod 97)', () => {
		expect(isValidNir('185057800608491')).toBe(true);
		expect(isValidNir('1 85 05 78 006 084 91')).toBe(true);
		expect(isValidNir('1.85.05.78.006.084.91')).toBe(true);
	});

	it('counts Corsica 2A as 19 and 2B as 18', () => {
		expect(isValidNir('2 91 03 2A 123 456 45')).toBe(true);
		expect(isValidNir('2 91 03 2a 123 456 45')).toBe(true);
		expect(isValidNir('1 75 12 2B 050 123 81')).toBe(true);
		// Same digits, the other half of Corsica: the key no longer checks.
		expect(isValidNir('1 75 12 2A 050 123 81')).toBe(false);
	});

	it('rejects a 15-digit number whose key does not check: it is not a NIR', () => {
		expect(isValidNir('185057800608492')).toBe(false);
		expect(isValidNir('123456789012345')).toBe(false);
	});

	it('rejects malformed input', () => {
		expect(isValidNir('18505780060849')).toBe(false);
		expect(isValidNir('1850578006084911')).toBe(false);
		expect(isValidNir('1850578X0608491')).toBe(false);
	});
});

describe('findNir', () => {
	it('finds a NIR written with spaces, dots or no separator', () => {
		expect(found('NIR du père : 1 85 05 78 006 084 91, transmis par la CAF.')).toEqual([
			'1 85 05 78 006 084 91'
		]);
		expect(found('n° 1.85.05.78.006.084.91.')).toEqual(['1.85.05.78.006.084.91']);
		expect(found('(185057800608491)')).toEqual(['185057800608491']);
	});

	it('finds Corsican and overseas NIRs', () => {
		expect(found('Sécu : 2 91 03 2A 123 456 45')).toEqual(['2 91 03 2A 123 456 45']);
		expect(found('Sécu : 175122B05012381')).toEqual(['175122B05012381']);
		expect(found('Sécu : 2 85 03 971 12 345 32')).toEqual(['2 85 03 971 12 345 32']);
	});

	it('reports offsets in the original text', () => {
		const text = 'Avant 1 85 05 78 006 084 91 après';
		expect(findNir(text)).toEqual([{ kind: 'nir', start: 6, end: 27 }]);
	});

	it('ignores a 15-digit number with a wrong key (invoice, file number)', () => {
		expect(found('NIR erroné 1 85 05 78 006 084 92')).toEqual([]);
		expect(found('Facture n° 123456789012345 réglée.')).toEqual([]);
		expect(found('Dossier CAF 202403150001234')).toEqual([]);
	});

	it('does not cut a NIR out of a longer number', () => {
		expect(found('Référence 9185057800608491')).toEqual([]);
		expect(found('Référence 1850578006084917')).toEqual([]);
		expect(found('Référence 185057800608491,5')).toEqual([]);
	});

	it('ignores dates, postal codes, amounts and phone numbers', () => {
		expect(found('Le 12/03/2024 à 75012 Paris, 1 250,00 €, tél. 06 12 34 56 78.')).toEqual([]);
	});
});
