import { expect, test } from '@playwright/test';

const DEMO_PASSWORD = 'Carnet-Demo-2026!';

test('a worker signs in through the real page and signs out', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/connexion$/);
	await expect(page.getByText('Les accès aux dossiers sont journalisés')).toBeVisible();

	await page.getByLabel('Identifiant').fill('tisf.amelie');
	await page.getByLabel('Mot de passe').fill('mauvais-mot-de-passe');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('alert')).toHaveText('Identifiant ou mot de passe incorrect.');

	await page.waitForTimeout(1_100); // the per-account delay after one failure is one second
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).toHaveURL(/\/app/);
	await expect(page.getByText('Amélie Roussel').first()).toBeVisible();

	const cookies = await page.context().cookies();
	const session = cookies.find((c) => c.name === 'carnet_session');
	expect(session?.httpOnly).toBe(true);
	expect(session?.sameSite).toBe('Lax');

	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(page).toHaveURL(/\/connexion$/);
	await page.goto('/app');
	await expect(page).toHaveURL(/\/connexion$/);
});

test('the login page shows French field messages for empty fields', async ({ page }) => {
	await page.goto('/connexion');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByText('Saisissez votre identifiant.')).toBeVisible();
	await expect(page.getByText('Saisissez votre mot de passe.')).toBeVisible();
});
