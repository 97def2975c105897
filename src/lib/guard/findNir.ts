import type { GuardSpan } from './guardFinding';

// Groups of a NIR: sex, year, month, then département + commune (2 + 3 digits, or 3 + 2 overseas,
// Corsica written 2A/2B), order number, key. One optional space or dot between groups; the key
// check does the real filtering (a random 15-digit number passes it once in 97).
const separator = '[ .\\u00a0\\u202f]?';
const birthPlace = `(?:(?:\\d{2}|2[ABab])${separator}\\d{3}|9[78]\\d${separator}\\d{2})`;
const nirPattern = new RegExp(
	`(?<![\\p{L}\\p{N}])[1-478]${separator}\\d{2}${separator}\\d{2}${separator}${birthPlace}` +
		`${separator}\\d{3}${separator}\\d{2}(?![\\p{L}\\p{N}]|[.,]\\d)`,
	'gu'
);

/** Finds social-security numbers (NIR) whose key checks; other 15-digit numbers are left alone. */
export function findNir(text: string): GuardSpan[] {
	const spans: GuardSpan[] = [];
	for (const match of text.matchAll(nirPattern)) {
		if (isValidNir(match[0])) {
			spans.push({ kind: 'nir', start: match.index, end: match.index + match[0].length });
		}
	}
	return spans;
}

/**
 * True when the 13 first characters and the 2-digit key agree: key = 97 − (number mod 97),
 * Corsica's 2A and 2B counting as 19 and 18. Separators are ignored.
 */
export function isValidNir(candidate: string): boolean {
	const compact = candidate.replace(/[ .\u00a0\u202f]/g, '').toUpperCase();
	if (!/^\d{5}(?:\d{2}|2A|2B)\d{8}$/.test(compact)) return false;
	const body = compact.slice(0, 13).replace('2A', '19').replace('2B', '18');
	const key = BigInt(compact.slice(13));
	return 97n - (BigInt(body) % 97n) === key;
}
