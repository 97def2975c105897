import { normalizeForMatching, type NormalizedText } from './normalizeForMatching';

/**
 * Compiles a French word list into one matcher, to run on text folded by
 * `normalizeForMatching`. Entry syntax:
 * - `hystérique`: the whole word, case and accents ignored, plural -s/-x accepted on every
 *   word of three letters or more; feminine forms are listed as their own entries;
 * - `alcoolis*`: a stem, any word starting with it (also on a word of an expression);
 * - `garde à vue`: an expression; a space or hyphen in the entry matches spaces, line breaks
 *   or a hyphen in the text;
 * - `=sale`: a single word whose accents must be as written (so "salé" is not "sale").
 */
export function compileWordList(entries: readonly string[]): WordListMatcher {
	const sorted = [...new Set(entries)].sort(
		(a, b) => foldEntry(b).length - foldEntry(a).length || a.localeCompare(b)
	);
	const strictChecks: RegExp[] = [];
	const alternatives = sorted.map((entry) => {
		if (!entry.startsWith('=')) return entrySource(foldEntry(entry));
		const word = entry.slice(1);
		if (/[\s-]/.test(word)) throw new Error(`Accent-exact entries must be single words: ${entry}`);
		strictChecks.push(new RegExp(`^${entrySource(word.toLowerCase().normalize('NFC'))}$`, 'u'));
		return `(${entrySource(foldEntry(word))})`;
	});
	const pattern = new RegExp(
		`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`,
		'gu'
	);
	return { pattern, strictChecks };
}

/** Runs a compiled list; returns [start, end) ranges in the original text. */
export function matchWordList(
	matcher: WordListMatcher,
	original: string,
	folded: NormalizedText
): Array<[number, number]> {
	const ranges: Array<[number, number]> = [];
	for (const match of folded.text.matchAll(matcher.pattern)) {
		const start = folded.sourceIndex[match.index];
		const end = folded.sourceIndex[match.index + match[0].length];
		const strictIndex = match.findIndex((group, i) => i > 0 && group !== undefined) - 1;
		if (strictIndex >= 0) {
			const written = original.slice(start, end).toLowerCase().normalize('NFC');
			if (!matcher.strictChecks[strictIndex].test(written)) continue;
		}
		ranges.push([start, end]);
	}
	return ranges;
}

function foldEntry(entry: string): string {
	return normalizeForMatching(entry.replace(/^=/, '')).text.trim();
}

function entrySource(entry: string): string {
	return entry.split(/[\s-]+/).map(wordSource).join('[\\s-]+');
}

function wordSource(word: string): string {
	if (word.endsWith('*')) return `${escapeRegExp(word.slice(0, -1))}\\p{L}*`;
	const plural = word.length >= 3 && !/[sxz]$/.test(word) ? '[sx]?' : '';
	return escapeRegExp(word) + plural;
}

function escapeRegExp(value: string): string {
	return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface WordListMatcher {
	pattern: RegExp;
	/** One per accent-exact entry, in the order of the capture groups of `pattern`. */
	strictChecks: RegExp[];
}
