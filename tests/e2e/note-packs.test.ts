import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, rawStoreRows, signInAndSync } from '../support/e2e';

/** The clear refs (`noteId|caseId|version`) of every note pack on the device, read raw (no app code). */
async function rawNoteRefs(page: Page): Promise<string[]> {
	return (await rawStoreRows<{ refs: string[] }>(page, 'notePacks')).flatMap((row) => row.refs);
}

const noteIdOf = (ref: string) => ref.split('|')[0];
const versionOf = (ref: string) => Number(ref.split('|')[2]);

test('a note edited and synced comes back once, in its new version; the old one leaves the device', async ({ page }) => {
	await signInAndSync(page, 'tisf.amelie');
	const cases = page.getByRole('list', { name: 'Dossiers' }).getByRole('listitem');
	await expect(cases).toHaveCount(10);
	await cases.nth(1).getByRole('link').click();
	await expect(page.getByRole('heading', { name: 'Personnes' })).toBeVisible();
	const notes = page.locator('article.note');
	const before = await notes.count();
	const refsBefore = new Set((await rawNoteRefs(page)).map(noteIdOf));

	const first = `Appel de la mère ${Date.now()} : rendez-vous fixé jeudi.`;
	await page.getByRole('link', { name: 'Nouvelle note' }).click();
	await page.getByLabel('Type de note').selectOption('call');
	await page.getByLabel('Texte de la note').fill(first);
	await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
	await expect(page.getByTestId('pending-count')).toHaveText('Tout est envoyé', { timeout: 20_000 });
	await expect(notes).toHaveCount(before + 1);
	// The new note, pulled back from the server into a pack of its own.
	await expect.poll(async () => (await rawNoteRefs(page)).filter((ref) => !refsBefore.has(noteIdOf(ref)))).toHaveLength(1);
	const [created] = (await rawNoteRefs(page)).filter((ref) => !refsBefore.has(noteIdOf(ref)));
	const noteId = noteIdOf(created);
	const refsOf = async () => (await rawNoteRefs(page)).filter((ref) => noteIdOf(ref) === noteId);

	const edit = page.locator(`a[href$="note=${noteId}"]`);
	await edit.click();
	await expect(page.getByLabel('Texte de la note')).toHaveValue(first);
	const second = first.replace('jeudi', 'vendredi (déplacé)');
	await page.getByLabel('Texte de la note').fill(second);
	await page.getByRole('button', { name: 'Envoyer la modification' }).click();
	await expect(page.getByTestId('pending-count')).toHaveText('Tout est envoyé', { timeout: 20_000 });

	// Once on screen and in the store, in a newer version: the old one left with its pack.
	await expect(notes).toHaveCount(before + 1);
	await expect.poll(async () => (await refsOf()).map((ref) => versionOf(ref) > versionOf(created))).toEqual([true]);

	// After a reload and unlock, read back from the packs: the editor opens the new text.
	await page.reload();
	// The app's own unlock screen (the early form's takeover is early-unlock.test.ts's subject).
	await expect(page.locator('#early-unlock')).toHaveCount(0, { timeout: 15_000 });
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Déverrouiller' }).click();
	await expect(notes).toHaveCount(before + 1);
	await edit.click();
	await expect(page.getByLabel('Texte de la note')).toHaveValue(second);
});
