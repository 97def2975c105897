import type { GuardSpan } from './guardFinding';

// Deliberately simple: local part, @, dotted domain with a letter TLD. A trailing full stop
// stays out of the match.
const emailPattern =
	/(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])/gu;

/** Finds e-mail addresses. */
export function findEmailAddresses(text: string): GuardSpan[] {
	if (!text.includes('@')) return [];
	return Array.from(text.matchAll(emailPattern), (match) => ({
		kind: 'email' as const,
		start: match.index,
		end: match.index + match[0].length
	}));
}
