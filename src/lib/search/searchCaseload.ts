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
	entries: { caseId: string; text: string }[];
}

export function normalizeSearchText(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Builds the index once per unlock; `notes` may be empty (names and reference only). */
export function buildCaseSearchIndex(cases: SearchableCase[], notes: NoteRecord[]): CaseSearchIndex {
	const notesByCase = new Map<string, string[]>();
	for (const note of notes) {
		if (note.restricted || note.sensitiveCategory || !note.body) continue;
		const list = notesByCase.get(note.caseId) ?? [];
		list.push(note.body);
		notesByCase.set(note.caseId, list);
	}
	return {
		entries: cases.map((item) => ({
			caseId: item.case.id,
			text: normalizeSearchText(
				[
					item.case.reference,
					item.measureLabel,
					...item.persons.map((p) => `${p.firstName} ${p.lastName}`),
					...(notesByCase.get(item.case.id) ?? [])
				].join('\n')
			)
		}))
	};
}

/** Case ids matching every word of the query (accent- and case-insensitive). */
export function searchCaseIndex(index: CaseSearchIndex, query: string): Set<string> {
	const words = normalizeSearchText(query).split(/\s+/).filter(Boolean);
	const result = new Set<string>();
	for (const entry of index.entries) {
		if (words.every((word) => entry.text.includes(word))) result.add(entry.caseId);
	}
	return result;
}
