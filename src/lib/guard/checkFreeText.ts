import { createFinding, type GuardFinding, type GuardSpan } from './guardFinding';
import { findEmailAddresses } from './findEmailAddresses';
import { findNir } from './findNir';
import { findPhoneNumbers } from './findPhoneNumbers';
import { findVocabulary } from './findVocabulary';

/**
 * Checks a note's free text before it is submitted: direct identifiers (NIR, phone, e-mail),
 * sensitive vocabulary and judgemental wording. It only warns; the worker decides.
 * Findings are sorted by position and never overlap: when two spans overlap, the one that
 * starts first wins, then the longer one (an e-mail address beats a word inside it).
 */
export function checkFreeText(text: string): GuardFinding[] {
	const spans = [
		...findNir(text),
		...findPhoneNumbers(text),
		...findEmailAddresses(text),
		...findVocabulary(text)
	].sort((a, b) => a.start - b.start || b.end - a.end);
	return withoutOverlaps(spans).map((span) => createFinding(text, span.kind, span.start, span.end));
}

function withoutOverlaps(sortedSpans: GuardSpan[]): GuardSpan[] {
	const kept: GuardSpan[] = [];
	let reachedEnd = 0;
	for (const span of sortedSpans) {
		if (span.start < reachedEnd) continue;
		kept.push(span);
		reachedEnd = span.end;
	}
	return kept;
}
