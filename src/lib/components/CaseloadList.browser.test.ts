import { afterEach, beforeEach, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { flushSync } from 'svelte';
import { putPullPage } from '$lib/db';
import { deleteAllDatabases, makeCaseload, openStoreWithCaseload, type Caseload } from '$lib/db/testing/fixtures';
import { sync } from '$lib/sync';
import CaseloadList from './CaseloadList.svelte';
import { mountInBody, unmountAll } from './testing/mountInBody';

let caseload: Caseload;

beforeEach(async () => {
	({ caseload } = await openStoreWithCaseload());
});

afterEach(async () => {
	unmountAll();
	await deleteAllDatabases();
});

const render = () => mountInBody(CaseloadList);

const cases = () => page.getByRole('list', { name: 'Dossiers' }).getByRole('listitem');
const search = () => page.getByLabelText('Rechercher');

test('lists the cases, then searches the notes once they are decrypted', async () => {
	render();
	await expect.poll(() => cases().elements().length).toBe(3);
	// A word found only in one case's note (names and references do not contain it).
	await userEvent.fill(search(), 'rostand-1');
	await expect.poll(() => cases().elements().length).toBe(1);
	expect(cases().element().textContent).toContain('AED-2024-NORD-7311');
	// A first name (not in any note of the other cases), accents and case ignored.
	await userEvent.fill(search(), 'ZEPHYRINE');
	await expect.poll(() => cases().elements().length).toBe(1);
	expect(cases().element().textContent).toContain('AED-2024-NORD-7310');
	await userEvent.fill(search(), 'introuvable-zzz');
	await expect.poll(() => cases().elements().length).toBe(0);
	await expect.element(page.getByText('0 dossier sur 3')).toBeInTheDocument();
});

test('the list does not wait for the notes: shown while they are decrypted, the search says so', async () => {
	// Hold back every note decryption (additional data `notePacks|…`) until the gate opens.
	let open!: () => void;
	const gate = new Promise<void>((resolve) => (open = resolve));
	const decrypt = SubtleCrypto.prototype.decrypt;
	const decoder = new TextDecoder();
	SubtleCrypto.prototype.decrypt = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['decrypt']>) {
		const aad = (args[0] as AesGcmParams).additionalData;
		const held = aad && decoder.decode(aad as Uint8Array).startsWith('notePacks|');
		return held ? gate.then(() => decrypt.apply(this, args)) : decrypt.apply(this, args);
	} as SubtleCrypto['decrypt'];
	try {
		render();
		await expect.poll(() => cases().elements().length).toBe(3);
		await userEvent.fill(search(), 'rostand-1');
		await expect.element(page.getByText('Notes en cours de déchiffrement', { exact: false })).toBeInTheDocument();
		// Names and references only for now: no case matches a word of a note yet.
		expect(cases().elements()).toHaveLength(0);
		expect(page.getByRole('search').element().getAttribute('aria-busy')).toBe('true');
		open();
		await expect.poll(() => cases().elements().length).toBe(1);
		expect(page.getByRole('search').element().getAttribute('aria-busy')).toBe('false');
		await expect.poll(() => document.body.textContent?.includes('Notes en cours de déchiffrement')).toBe(false);
	} finally {
		SubtleCrypto.prototype.decrypt = decrypt;
		open();
	}
});

test('a sync that adds a case: the list and the note search follow', async () => {
	render();
	await expect.poll(() => cases().elements().length).toBe(3);
	// Another case arrives and the sync manager says the store changed: the list reloads.
	const more = makeCaseload();
	await putPullPage({ ...more, cases: more.cases.slice(0, 1), persons: more.persons.filter((p) => p.caseId === more.cases[0].id), notes: more.notes.filter((n) => n.caseId === more.cases[0].id), visits: [] });
	sync.revision++;
	flushSync();
	await expect.poll(() => cases().elements().length).toBe(4);
	await userEvent.fill(search(), 'rostand-0');
	// Case 0 of both caseloads carries that note: the new one is searchable too.
	await expect.poll(() => cases().elements().length).toBe(2);
});
