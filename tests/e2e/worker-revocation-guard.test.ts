import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, apiAs, rawStoreCount as rawCount, submitLogin as signIn } from '../support/e2e';

test('a case unassigned on the server leaves the screen and IndexedDB at the next sync', async ({ page, playwright, baseURL }) => {
	await signIn(page, 'tisf.amelie');
	await expect(page.getByTestId('last-sync')).not.toHaveText('jamais');
	const cases = page.getByRole('list', { name: 'Dossiers' }).getByRole('listitem');
	await expect(cases).toHaveCount(10);
	expect(await rawCount(page, 'cases')).toBe(10);

	// The team lead ends one of Amélie's assignments, through the real API.
	const lead = await apiAs(playwright, baseURL, 'chef.david');
	const team = (await (await lead.get('/trpc/lead.team')).json()).result.data as {
		cases: { id: string; reference: string; holders: { assignmentId: string; displayName: string }[] }[];
	};
	const target = team.cases.find((c) => c.holders.length === 1 && c.holders[0].displayName === 'Amélie Roussel');
	expect(target).toBeTruthy();
	const ended = await lead.post('/trpc/lead.endAssignment', { data: { assignmentId: target!.holders[0].assignmentId } });
	expect(ended.status()).toBe(200);
	await lead.dispose();

	await page.getByRole('button', { name: 'Synchroniser' }).click();
	await expect(cases).toHaveCount(9);
	await expect(page.getByText(target!.reference)).toHaveCount(0);
	await expect(page.getByText('ne vous est plus attribué')).toBeVisible();
	expect(await rawCount(page, 'cases')).toBe(9);
	await page.goto(`/app/dossier/${target!.id}`);
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Déverrouiller' }).click();
	await expect(page.getByRole('heading', { name: 'Dossier indisponible' })).toBeVisible();
});

test('the free-text guard flags a NIR, a phone number and a health word, not an ordinary sentence', async ({ page }) => {
	await signIn(page, 'aed.bruno');
	await expect(page.getByTestId('last-sync')).not.toHaveText('jamais');
	await page.getByRole('list', { name: 'Dossiers' }).getByRole('link').first().click();
	await page.getByRole('link', { name: 'Nouvelle note' }).click();
	const text = page.getByLabel('Texte de la note');

	await text.fill('Visite au domicile, l’enfant a fait ses devoirs avec sa mère, bonne ambiance.');
	await expect(page.getByText('Aucun passage à vérifier.')).toBeVisible();

	await text.fill('La mère (NIR 2 84 12 75 108 023 97, tél. 06 12 34 56 78) dit avoir une dépression.');
	await expect(page.getByText('3 passages à vérifier. Ces alertes ne bloquent pas l’envoi.')).toBeVisible();
	await expect(page.getByText(/sécurité sociale/).first()).toBeVisible();
	await expect(page.getByText(/Numéro de téléphone/).first()).toBeVisible();
	await page.getByRole('button', { name: 'Marquer « Santé »' }).click();
	await expect(page.getByLabel('Catégorie sensible')).toHaveValue('health');
	// It warns and never blocks: the note can still be sent.
	await expect(page.getByRole('button', { name: 'Envoyer', exact: true })).toBeEnabled();
});
