import { describe, expect, it } from 'vitest';
import { findVocabulary, wordLists } from './findVocabulary';
import { normalizeForMatching } from './normalizeForMatching';

function fold(entry: string) {
	return normalizeForMatching(entry.replace(/^=/, '').replace(/\*$/, '')).text;
}

describe('word lists', () => {
	it.each(Object.entries(wordLists))('%s holds 25 to 60 distinct entries', (_kind, entries) => {
		expect(entries.length).toBeGreaterThanOrEqual(25);
		expect(entries.length).toBeLessThanOrEqual(60);
		expect(new Set(entries.map(fold)).size).toBe(entries.length);
	});

	it('puts each term in one list only', () => {
		const owner = new Map<string, string>();
		for (const [kind, entries] of Object.entries(wordLists)) {
			for (const entry of entries) {
				const term = fold(entry).replace(/-/g, ' ');
				expect(owner.get(term), `${entry} is in ${owner.get(term)} and ${kind}`).toBeUndefined();
				owner.set(term, kind);
			}
		}
	});

	it.each(Object.entries(wordLists))('every %s entry finds itself as written', (kind, entries) => {
		for (const entry of entries) {
			const written = entry.replace(/^=/, '').replace(/\*$/, '');
			const text = `Note : ${written}.`;
			const spans = findVocabulary(text).filter((span) => span.kind === kind);
			expect(
				spans.some((span) => span.start === 7 && span.end === 7 + written.length),
				entry
			).toBe(true);
		}
	});
});
