import { describe, expect, it } from 'vitest';
import { checkFreeText } from './checkFreeText';
import { splitHighlights } from './splitHighlights';

describe('splitHighlights', () => {
	it('alternates plain and flagged segments that rebuild the text', () => {
		const text = 'Mère hystérique, tél. 0612345678';
		const segments = splitHighlights(text, checkFreeText(text));
		expect(segments).toEqual([
			{ text: 'Mère ', findingIndex: null },
			{ text: 'hystérique', findingIndex: 0 },
			{ text: ', tél. ', findingIndex: null },
			{ text: '0612345678', findingIndex: 1 }
		]);
		expect(segments.map((segment) => segment.text).join('')).toBe(text);
	});

	it('returns the whole text as one plain segment when nothing is flagged', () => {
		expect(splitHighlights('Bonne visite.', [])).toEqual([{ text: 'Bonne visite.', findingIndex: null }]);
		expect(splitHighlights('', [])).toEqual([]);
	});
});
