import { describe, expect, it } from 'vitest';
import { findPhoneNumbers } from './findPhoneNumbers';

function found(text: string) {
	return findPhoneNumbers(text).map(({ start, end }) => text.slice(start, end));
}

describe('findPhoneNumbers', () => {
	it.each([
		'06 12 34 56 78',
		'06.12.34.56.78',
		'06-12-34-56-78',
		'0612345678',
		'01 45 67 89 10',
		'09\u00a012\u00a034\u00a056\u00a078',
		'+33 6 12 34 56 78',
		'+33612345678',
		'+33 (0)6 12 34 56 78',
		'0033 6 12 34 56 78',
		'+33 1.45.67.89.10'
	])('finds %s', (phone) => {
		expect(found(`Joindre la mère au ${phone}, après 18 h.`)).toEqual([phone]);
	});

	it('reports offsets in the original text', () => {
		expect(findPhoneNumbers('Tél. 06 12 34 56 78')).toEqual([{ kind: 'phone', start: 5, end: 19 }]);
	});

	it('finds several numbers', () => {
		expect(found('Mère : 0612345678 ; père : 07 98 76 54 32.')).toEqual(['0612345678', '07 98 76 54 32']);
	});

	it.each([
		['a date', 'Audience le 12/03/2024 à 14 h 30.'],
		['a date with dots', 'Né le 12.03.2014.'],
		['a postal code', '12 rue des Lilas, 75012 Paris.'],
		['an amount', 'Dette de loyer : 1 250,00 € au 01/02/2024.'],
		['a 15-digit number', 'Facture 061234567812345.'],
		['an 11-digit number', 'Allocataire 06123456789.'],
		['mixed separators', 'Code 06 12.34-56 78.'],
		['a number not starting with 0', 'Référence 16 12 34 56 78.'],
		['a time range', 'De 09 h 00 à 12 h 00.']
	])('ignores %s', (_label, text) => {
		expect(found(text)).toEqual([]);
	});
});
