import type { GuardKind, GuardSpan } from './guardFinding';
import { compileWordList, matchWordList, type WordListMatcher } from './compileWordList';
import { normalizeForMatching } from './normalizeForMatching';
import health from './wordlists/health.json';
import religion from './wordlists/religion.json';
import origin from './wordlists/origin.json';
import sexualLife from './wordlists/sexual_life.json';
import judicial from './wordlists/judicial.json';
import judgemental from './wordlists/judgemental.json';

type VocabularyKind = Exclude<GuardKind, 'nir' | 'phone' | 'email'>;

/** The French word lists, one per kind, as shipped in `wordlists/`. */
export const wordLists: Record<VocabularyKind, readonly string[]> = {
	health,
	religion,
	origin,
	sexual_life: sexualLife,
	judicial,
	judgemental
};

// Compiled once, at module load: one regular expression per kind.
const matchers = Object.entries(wordLists).map(
	([kind, entries]) => [kind as VocabularyKind, compileWordList(entries)] as const
) satisfies ReadonlyArray<readonly [VocabularyKind, WordListMatcher]>;

/** Finds sensitive and judgemental vocabulary, ignoring case and accents. */
export function findVocabulary(text: string): GuardSpan[] {
	const folded = normalizeForMatching(text);
	const spans: GuardSpan[] = [];
	for (const [kind, matcher] of matchers) {
		for (const [start, end] of matchWordList(matcher, text, folded)) spans.push({ kind, start, end });
	}
	return spans;
}
