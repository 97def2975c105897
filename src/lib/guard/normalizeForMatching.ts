/**
 * Folds text for vocabulary matching: lower case, no diacritics, ligatures spelt out
 * ("Œdème" → "oedeme"), typographic apostrophes, dashes and spaces made plain.
 * `sourceIndex[i]` is the offset in the original text of the character that produced
 * `text[i]`; `sourceIndex[text.length]` is the original length, so a match [s, e) in the
 * folded text is [sourceIndex[s], sourceIndex[e]) in the original.
 */
export function normalizeForMatching(original: string): NormalizedText {
	const parts: string[] = [];
	const sourceIndex: number[] = [];
	let i = 0;
	while (i < original.length) {
		const code = original.charCodeAt(i);
		// Fast path: most of a French note is ASCII.
		if (code < 0x80) {
			parts.push(code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : original[i]);
			sourceIndex.push(i);
			i += 1;
			continue;
		}
		const width = code >= 0xd800 && code <= 0xdbff && i + 1 < original.length ? 2 : 1;
		const folded = foldCharacter(original.slice(i, i + width));
		for (let k = 0; k < folded.length; k++) sourceIndex.push(i);
		parts.push(folded);
		i += width;
	}
	sourceIndex.push(original.length);
	return { text: parts.join(''), sourceIndex };
}

const specialFolds: Record<string, string> = {
	œ: 'oe',
	æ: 'ae',
	ß: 'ss',
	'\u2019': "'",
	'\u02bc': "'",
	'\u2018': "'",
	'\u2010': '-',
	'\u2011': '-',
	'\u00a0': ' ',
	'\u202f': ' '
};

// Notes reuse the same few accented letters; folding each one once keeps 20,000 characters
// well under a millisecond.
const foldCache = new Map<string, string>();

function foldCharacter(character: string): string {
	let folded = foldCache.get(character);
	if (folded === undefined) {
		const lower = character.toLowerCase();
		folded = specialFolds[lower] ?? lower.normalize('NFD').replace(/\p{M}/gu, '');
		if (foldCache.size < 4096) foldCache.set(character, folded);
	}
	return folded;
}

export interface NormalizedText {
	text: string;
	sourceIndex: number[];
}
