import { describe, expect, it } from 'vitest';
import { normalizeForMatching } from './normalizeForMatching';

describe('normalizeForMatching', () => {
	it('folds case, accents, ligatures and typographic apostrophes', () => {
		expect(normalizeForMatching('Élève HYSTÉRIQUE, sœur d’Œdipe').text).toBe(
			"eleve hysterique, soeur d'oedipe"
		);
	});

	it('maps each folded character back to its source offset', () => {
		const { text, sourceIndex } = normalizeForMatching('Sœur é');
		expect(text).toBe('soeur e');
		expect(sourceIndex).toEqual([0, 1, 1, 2, 3, 4, 5, 6]);
	});

	it('drops combining marks of decomposed text but keeps them inside the source range', () => {
		const original = 'de\u0301pression';
		const { text, sourceIndex } = normalizeForMatching(original);
		expect(text).toBe('depression');
		expect(sourceIndex[2]).toBe(3);
		expect(sourceIndex[text.length]).toBe(original.length);
	});

	it('keeps characters outside the Basic Multilingual Plane whole', () => {
		const { text, sourceIndex } = normalizeForMatching('a😀b');
		expect(text).toBe('a😀b');
		expect(sourceIndex).toEqual([0, 1, 1, 3, 4]);
	});
});
