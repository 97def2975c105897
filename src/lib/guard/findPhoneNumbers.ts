import type { GuardSpan } from './guardFinding';

// 0X XX XX XX XX with one kind of separator throughout (space, dot, dash or none), or the
// international forms +33 / 0033, optionally with the "(0)" people keep out of habit.
const pairs = '\\d{2}(?:\\1\\d{2}){3}';
const national = `0[1-9]([ .\\-\\u00a0\\u202f]?)${pairs}`;
const international = `(?:\\+|00)33[ .\\-\\u00a0\\u202f]?(?:\\(0\\)[ \\u00a0]?)?[1-9]([ .\\-\\u00a0\\u202f]?)\\d{2}(?:\\2\\d{2}){3}`;
const phonePattern = new RegExp(
	`(?<![\\p{L}\\p{N}+])(?:${national}|${international})(?![\\p{N}]|[.,\\-]\\d)`,
	'gu'
);

/** Finds French phone numbers, national or international form. */
export function findPhoneNumbers(text: string): GuardSpan[] {
	return Array.from(text.matchAll(phonePattern), (match) => ({
		kind: 'phone' as const,
		start: match.index,
		end: match.index + match[0].length
	}));
}
