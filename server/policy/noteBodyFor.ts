import type { SensitiveCategory } from '../../src/lib/shared/domain';

/**
 * A note in a sensitive category is readable only with the matching habilitation. Without it,
 * the reader learns that a restricted note exists (and its category), never its text.
 */
export function noteBodyFor(
	habilitations: readonly SensitiveCategory[],
	note: { body: string; sensitiveCategory: SensitiveCategory | null }
): { body: string | null; restricted: boolean } {
	if (note.sensitiveCategory === null || habilitations.includes(note.sensitiveCategory)) {
		return { body: note.body, restricted: false };
	}
	return { body: null, restricted: true };
}
