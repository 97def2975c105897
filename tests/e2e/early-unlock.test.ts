import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, holdAppCode, signInAndSync } from '../support/e2e';

// The app's code is held back at the network, which a service worker would bypass: none here
// (tests/e2e/worker-offline.test.ts and the bench cover the offline start from the service worker).
test.use({ serviceWorkers: 'block' });

test('cold start: the password typed and sent in the early form, before the app’s code runs, unlocks the app once it does', async ({ page }) => {
	await signInAndSync(page, 'aed.bruno');
	const cases = page.getByRole('list', { name: 'Dossiers' }).getByRole('listitem');
	await expect(cases.first()).toBeVisible();

	// What a slow tablet's compile of the app's code looks like to the user: it has not started yet.
	const release = await holdAppCode(page);
	await page.reload({ waitUntil: 'commit' });
	const early = page.locator('#early-unlock');
	await expect(early.getByRole('heading', { name: 'Carnet verrouillé' })).toBeVisible();
	await expect(early.getByLabel('Mot de passe')).toBeFocused();
	await early.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await early.getByRole('button', { name: 'Déverrouiller' }).click();
	// The press is held, and said so in French.
	await expect(early).toHaveAttribute('data-submitted', '');
	await expect(early.getByRole('status')).toHaveText('Déverrouillage dès que Carnet est prêt…');
	await expect(page.getByRole('heading', { name: 'Mes dossiers' })).toHaveCount(0);

	// The app arrives, takes the form over and unlocks with what was typed, with no second press.
	release();
	await expect(page.getByRole('heading', { name: 'Mes dossiers' })).toBeVisible({ timeout: 30_000 });
	await expect(cases.first()).toBeVisible();
	await expect(early).toHaveCount(0);
	expect(await page.evaluate(() => document.documentElement.hasAttribute('data-early-unlock'))).toBe(false);

	// Signed out, it is not shown any more: the device holds no store.
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(page).toHaveURL(/\/connexion/);
	await page.goto('/app');
	await expect(page).toHaveURL(/\/connexion/);
	await expect(early).toHaveCount(0);
});
