import { describe, expect, it } from 'vitest';
import { buildCaseSearchIndex, searchCaseIndex } from './searchCaseload';
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
