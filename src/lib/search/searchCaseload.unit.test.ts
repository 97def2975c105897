import { describe, expect, it } from 'vitest';
import { buildCaseSearchIndex, normalizeSearchText, searchCaseIndex } from './searchCaseload';
import type { CaseRecord, NoteRecord, PersonRecord } from '$lib/shared/records';

const caseRecord = (id: string, reference: string): CaseRecord => ({
	id, reference, measureType: 'aed', status: 'open', teamId: null, openedAt: '2025-01-01', closedAt: null, lastContactAt: null,
	access: { kind: 'assignment', role: 'referent', until: null, coveringFor: null }, version: 1
});
const person = (caseId: string, firstName: string, lastName: string): PersonRecord => ({
	id: crypto.randomUUID(), caseId, role: 'child', firstName, lastName, birthDate: null, address: null, phone: null, email: null, relationship: null, frozen: false, version: 1
});
const note = (caseId: string, body: string, sensitiveCategory: NoteRecord['sensitiveCategory'] = null): NoteRecord => ({
	id: crypto.randomUUID(), caseId, authorId: crypto.randomUUID(), authorName: 'A', kind: 'observation', body, restricted: false, sensitiveCategory,
	status: 'submitted', reviewComment: null, visitId: null, conflictOf: null, createdOnDeviceAt: '2026-01-01T00:00:00Z', receivedAt: null, version: 1
});

const a = crypto.randomUUID();
const b = crypto.randomUUID();
const index = buildCaseSearchIndex(
	[
		{ case: caseRecord(a, 'AN-2025-001'), persons: [person(a, 'Léo', 'Dubois')], measureLabel: 'AED' },
		{ case: caseRecord(b, 'AS-2025-002'), persons: [person(b, 'Zoé', 'Martin')], measureLabel: 'AEMO' }
	],
	[note(a, 'Accompagnement au football du mercredi.'), note(b, 'Rendez-vous chez l’orthophoniste.', 'health')]
);

describe('searchCaseIndex', () => {
	it('finds by first name without accents or case, by reference and by note text', () => {
		expect(searchCaseIndex(index, 'leo')).toEqual(new Set([a]));
		expect(searchCaseIndex(index, 'ZOÉ')).toEqual(new Set([b]));
		expect(searchCaseIndex(index, 'as-2025')).toEqual(new Set([b]));
		expect(searchCaseIndex(index, 'football')).toEqual(new Set([a]));
	});

	it('needs every word and never searches a note with a sensitive category', () => {
		expect(searchCaseIndex(index, 'léo football')).toEqual(new Set([a]));
		expect(searchCaseIndex(index, 'léo martin')).toEqual(new Set());
		expect(searchCaseIndex(index, 'orthophoniste')).toEqual(new Set());
	});
});

describe('buildCaseSearchIndex, rebuilt after a store change', () => {
	// Combining marks at the edges, a final sigma, a dotted capital I, a ligature, a sharp s.
	const tricky = ['\u0301Élodie à l’école', 'ΟΔΥΣΣΕΥΣ', 'İlkay Ölçer', 'Œuvre ﬁnale', 'Straße', 'e\u0301te\u0301 e\u0300\n\u0327'];
	const joinedThenNormalized = (parts: string[]) => normalizeSearchText(parts.join('\n'));

	it('normalizes note by note exactly as the whole text at once', () => {
		const c = crypto.randomUUID();
		const notes = tricky.map((body) => note(c, body));
		const built = buildCaseSearchIndex([{ case: caseRecord(c, 'AN-2025-009'), persons: [person(c, 'Ève', 'Σίσυφος')], measureLabel: 'AED' }], notes);
		expect(built.entries[0].texts.join('\n')).toBe(joinedThenNormalized(['AN-2025-009', 'AED', 'Ève Σίσυφος', ...tricky]));
		// A word is found in the pieces exactly when it is in the joined text.
		for (const word of ['elodie', 'οδυσσευς', 'ilkay', 'œuvre', 'strasse', 'straße', 'ete', 'sisyφος', 'σισυφος', 'an-2025-009', 'ecole', 'aed', 'finale']) {
			const joined = joinedThenNormalized(['AN-2025-009', 'AED', 'Ève Σίσυφος', ...tricky]).includes(normalizeSearchText(word));
			expect(searchCaseIndex(built, word).has(c), word).toBe(joined);
		}
	});

	it('a note changed in place or replaced is indexed in its new text, an unchanged one as before', () => {
		const c = crypto.randomUUID();
		const kept = note(c, 'Atelier cuisine avec la TISF.');
		const changed = note(c, 'Premier texte.');
		const cases = [{ case: caseRecord(c, 'AN-2025-010'), persons: [], measureLabel: 'AED' }];
		expect(searchCaseIndex(buildCaseSearchIndex(cases, [kept, changed]), 'premier')).toEqual(new Set([c]));
		changed.body = 'Texte corrigé.';
		const rebuilt = buildCaseSearchIndex(cases, [kept, changed]);
		expect(searchCaseIndex(rebuilt, 'premier')).toEqual(new Set());
		expect(searchCaseIndex(rebuilt, 'corrige')).toEqual(new Set([c]));
		expect(searchCaseIndex(rebuilt, 'cuisine tisf')).toEqual(new Set([c]));
		const replaced = buildCaseSearchIndex(cases, [kept, { ...changed, body: 'Visite annulée.' }]);
		expect(searchCaseIndex(replaced, 'annulee')).toEqual(new Set([c]));
		expect(searchCaseIndex(replaced, 'corrige')).toEqual(new Set());
	});
});
