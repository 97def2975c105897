import type { GuardFinding } from './guardFinding';

/**
 * Cuts the text into plain and flagged segments, in order, for highlighting.
 * Expects the findings of `checkFreeText`: sorted and not overlapping.
 */
export function splitHighlights(text: string, findings: readonly GuardFinding[]): TextSegment[] {
	const segments: TextSegment[] = [];
	let cursor = 0;
	findings.forEach((finding, findingIndex) => {
		if (finding.start > cursor) segments.push({ text: text.slice(cursor, finding.start), findingIndex: null });
		segments.push({ text: text.slice(finding.start, finding.end), findingIndex });
		cursor = finding.end;
	});
	if (cursor < text.length) segments.push({ text: text.slice(cursor), findingIndex: null });
	return segments;
}

export interface TextSegment {
	text: string;
	/** Index in the findings array, or null for unflagged text. */
	findingIndex: number | null;
}
