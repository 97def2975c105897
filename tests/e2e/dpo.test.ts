import { expect, request, test } from '@playwright/test';

const DEMO_PASSWORD = 'Carnet-Demo-2026!';

/** A worker's device downloads the caseload through the API: the trail then holds accesses to find. */
async function workerPull(baseURL: string | undefined): Promise<string> {
	const api = await request.newContext({ baseURL });
	const login = await api.post('/trpc/auth.login', { data: { username: 'aed.bruno', password: DEMO_PASSWORD } });
	expect(login.status()).toBe(200);
	const pull = await api.post('/trpc/sync.pull', { data: { deviceId: crypto.randomUUID(), deviceLabel: 'Tablette e2e', cursor: null, heldCaseIds: [] } });
	expect(pull.status(), await pull.text()).toBe(200);
	const page = (await pull.json()).result.data as { cases: { reference: string }[] };
	await api.dispose();
	expect(page.cases.length).toBeGreaterThan(0);
	return page.cases[0].reference;
}

test('the DPO finds who accessed a case and checks the integrity of the trail', async ({ page, baseURL }) => {
	const reference = await workerPull(baseURL);

	await page.goto('/connexion');
	await page.getByLabel('Identifiant').fill('dpo.farid');
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).toHaveURL(/\/app\/dpo\/audit$/);
	await expect(page.getByRole('heading', { name: 'Journal d’audit' })).toBeVisible();

	await page.getByLabel('Dossier (référence)').fill(reference);
	await page.getByRole('button', { name: 'Rechercher' }).click();
	await expect(page.getByRole('heading', { name: `Accès et événements du dossier ${reference}` })).toBeVisible();
	const row = page.getByRole('row').filter({ hasText: 'Téléchargement sur l’appareil' }).first();
	await expect(row).toContainText('Bruno Lemaire');
	await expect(row).toContainText('Tablette e2e');
	await expect(row).toContainText('En ligne');

	await page.getByRole('button', { name: 'Vérifier l’intégrité' }).click();
	await expect(page.getByText(/Chaîne intacte/)).toBeVisible();
	await expect(page.getByText(/Dernière vérification/)).toBeVisible();
});

test('the public information pages need no sign-in', async ({ page }) => {
	await page.goto('/informations');
	await expect(page.getByRole('heading', { name: 'Comment vos données sont utilisées' })).toBeVisible();
	await expect(page.getByText(/www\.cnil\.fr\/fr\/plaintes/)).toBeVisible();
	await page.getByRole('link', { name: 'Version pour les jeunes' }).click();
	await expect(page.getByRole('heading', { name: 'Ce que l’on note sur toi, et tes droits' })).toBeVisible();
});
