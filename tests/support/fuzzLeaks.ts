import type { Visibility, WorldIndex } from './fuzzVisibility';

/**
 * The needles of one caller: every id, reference and identifying text of the cases outside their
 * visibility (and the bodies of sensitive notes outside their habilitations), minus what they may
 * see anyway (a name that is also in one of their cases) and what they typed in the input.
 */

export interface Needle {
	value: string;
	what: string;
	caseId: string;
}

export interface Needles {
	ids: Map<string, Needle>;
	references: Map<string, Needle>;
	texts: { needle: Needle; normalised: string; key: string }[];
}

/** Texts shorter than this are too generic to identify anything. */
const MIN_TEXT = 8;

export function needlesFor(world: WorldIndex, vis: Visibility): Needles {
	const visibleTexts = new Set<string>();
	const visibleReferences = new Set<string>();
	const habilitated = (category: string | null) => category === null || vis.habilitations.includes(category as never);
	for (const c of world.cases.values()) {
		if (vis.idCases.has(c.id)) visibleReferences.add(c.reference);
		if (vis.personNameCases.has(c.id)) for (const t of c.personNames) visibleTexts.add(normalise(t));
		if (vis.personFieldCases.has(c.id)) for (const t of c.personFields) visibleTexts.add(normalise(t));
		if (vis.contentCases.has(c.id)) {
			for (const n of c.notes) if (habilitated(n.category)) visibleTexts.add(normalise(n.body));
			for (const t of c.visitTexts) visibleTexts.add(normalise(t));
		}
	}

	const ids = new Map<string, Needle>();
	const references = new Map<string, Needle>();
	const texts: Needles['texts'] = [];
	const text = (value: string, what: string, caseId: string) => {
		const normalised = normalise(value);
		if (normalised.length < MIN_TEXT || visibleTexts.has(normalised)) return;
		texts.push({ needle: { value, what, caseId }, normalised, key: longestToken(normalised) });
	};
	for (const c of world.cases.values()) {
		if (!vis.idCases.has(c.id)) {
			ids.set(c.id, { value: c.id, what: 'case id', caseId: c.id });
			if (!visibleReferences.has(c.reference)) references.set(c.reference, { value: c.reference, what: 'case reference', caseId: c.id });
			for (const id of c.rowIds) ids.set(id, { value: id, what: 'person/note/visit id', caseId: c.id });
		}
		if (!vis.personNameCases.has(c.id)) for (const t of c.personNames) text(t, 'person name', c.id);
		if (!vis.personFieldCases.has(c.id)) for (const t of c.personFields) text(t, 'person contact detail', c.id);
		const content = vis.contentCases.has(c.id);
		for (const n of c.notes) if (!content || !habilitated(n.category)) text(n.body, content ? `restricted ${n.category} note body` : 'note body', c.id);
		if (!content) for (const t of c.visitTexts) text(t, 'visit place or purpose', c.id);
	}
	return { ids, references, texts };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const REFERENCE = /[A-Z]{2,}-\d{4}-\d{3,}/g;

/** The needles found in a response; `input` is what the caller sent (echoing it back is no leak). */
export function findLeaks(response: unknown, needles: Needles, input: unknown): Needle[] {
	const strings: string[] = [];
	collectStrings(response, strings);
	if (strings.length === 0) return [];
	const raw = strings.join('\u0001');
	const echoed = JSON.stringify(input ?? null);
	const found: Needle[] = [];
	for (const match of raw.matchAll(UUID)) {
		const needle = needles.ids.get(match[0].toLowerCase());
		if (needle && !echoed.includes(needle.value)) found.push(needle);
	}
	for (const match of raw.matchAll(REFERENCE)) {
		const needle = needles.references.get(match[0]);
		if (needle && !echoed.includes(needle.value)) found.push(needle);
	}
	if (needles.texts.length > 0) {
		const blob = ` ${strings.map(normalise).join(' \u0001 ')} `;
		const tokens = new Set(blob.split(' '));
		const echoedNormalised = normalise(echoed);
		for (const t of needles.texts) {
			if (!tokens.has(t.key)) continue;
			if (blob.includes(` ${t.normalised} `) && !echoedNormalised.includes(t.normalised)) found.push(t.needle);
		}
	}
	return dedupe(found);
}

function collectStrings(value: unknown, out: string[], depth = 0): void {
	if (depth > 50) return;
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) for (const v of value) collectStrings(v, out, depth + 1);
	else if (value && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, out, depth + 1);
}

/** NFC, lower case, words separated by single spaces: a needle matches whole words only. */
export function normalise(text: string): string {
	return text
		.normalize('NFC')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}@.\u0001]+/gu, ' ')
		.replace(/(?<=\S)\.(?=\s|$)/g, '')
		.trim();
}

function longestToken(normalised: string): string {
	return normalised.split(' ').reduce((a, b) => (b.length > a.length ? b : a), '');
}

function dedupe(needles: Needle[]): Needle[] {
	const seen = new Set<string>();
	return needles.filter((n) => (seen.has(n.value) ? false : (seen.add(n.value), true)));
}
