import type { CaseRecord, NoteRecord, PersonRecord } from '$lib/shared/records';

/**
 * In-memory search over decrypted data (the store is ciphertext: nothing can be searched on
 * disk). Notes carrying a sensitive category are never indexed (DESIGN.md), nor restricted ones.
 */

export interface SearchableCase {
	case: CaseRecord;
	persons: PersonRecord[];
	measureLabel: string;
}

export interface CaseSearchIndex {
	/**
	 * Per case, its normalized texts: names and reference first, then each indexed note's body
	 * (the very strings the index keeps by note, not a joined copy of them).
	 */
	entries: { caseId: string; texts: string[] }[];
}

export function normalizeSearchText(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Normalized note bodies by note object. The store gives the same frozen object for a note that
 * has not changed (src/lib/db/openedValues.ts), so the index rebuilt after a sync normalizes only
 * the notes that changed; the entries go with their notes (a lock drops both).
 */
const normalizedBodies = new WeakMap<NoteRecord, { body: string; text: string }>();

function normalizedBody(note: NoteRecord & { body: string }): string {
	const known = normalizedBodies.get(note);
	// The body is compared too, for a note object that is not the store's (changed in place).
	if (known?.body === note.body) return known.text;
	const text = normalizeSearchText(note.body);
	normalizedBodies.set(note, { body: note.body, text });
	return text;
}

/**
 * Builds the index after each unlock or store change; `notes` may be empty (names and reference
 * only). Normalizing text piece by piece gives what normalizing it joined would: each step works
 * on one character (decomposition, removal of combining marks, lower case); and a query word,
 * having no line break, is in the joined text exactly when it is in one of the pieces.
 */
export function buildCaseSearchIndex(cases: SearchableCase[], notes: NoteRecord[]): CaseSearchIndex {
	const notesByCase = new Map<string, string[]>();
	for (const note of notes) {
		if (note.restricted || note.sensitiveCategory || !note.body) continue;
		const list = notesByCase.get(note.caseId) ?? [];
		list.push(normalizedBody(note as NoteRecord & { body: string }));
		notesByCase.set(note.caseId, list);
	}
	return {
		entries: cases.map((item) => ({
			caseId: item.case.id,
			texts: [
				normalizeSearchText([item.case.reference, item.measureLabel, ...item.persons.map((p) => `${p.firstName} ${p.lastName}`)].join('\n')),
				...(notesByCase.get(item.case.id) ?? [])
			]
		}))
	};
}

/** Case ids matching every word of the query (accent- and case-insensitive). */
export function searchCaseIndex(index: CaseSearchIndex, query: string): Set<string> {
	const words = normalizeSearchText(query).split(/\s+/).filter(Boolean);
	const result = new Set<string>();
	for (const entry of index.entries) {
		if (words.every((word) => entry.texts.some((text) => text.includes(word)))) result.add(entry.caseId);
	}
	return result;
}
