import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, apiAs, rawStoreCount, submitLogin as signIn } from '../support/e2e';

const rawJournalCount = (page: Parameters<typeof rawStoreCount>[0]) => rawStoreCount(page, 'journal');

test('a worker syncs, works offline, reloads, unlocks and syncs back; the DPO finds the offline view', async ({ page, context, playwright, baseURL }) => {
	// Slow the first pull down so that its progress is visible.
	let delayed = false;
	await page.route('**/sync/pull', async (route) => {
		if (!delayed) {
			delayed = true;
			await new Promise((resolve) => setTimeout(resolve, 1_500));
		}
		await route.continue();
	});
	await signIn(page, 'tisf.amelie');
	await expect(page.getByRole('progressbar', { name: 'Synchronisation en cours' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Mes dossiers' })).toBeVisible();
	await expect(page.getByText('Tout est envoyé')).toBeVisible();
	const cases = page.getByRole('list', { name: 'Dossiers' }).getByRole('listitem');
	await expect(cases).toHaveCount(10);
	const references = await cases.locator('.measure').allTextContents();
	for (const text of references) expect(text).toMatch(/AN-\d{4}-0(1\d)$/);

	// Search is instant and in memory.
	await page.getByLabel('Rechercher').fill('zzzz-introuvable');
	await expect(cases).toHaveCount(0);
	await page.getByLabel('Rechercher').fill('');
	await expect(cases).toHaveCount(10);

	// Offline: open a case, write a note, submit.
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
	await context.setOffline(true);
	await expect(page.getByRole('status').filter({ hasText: 'Hors ligne' })).toBeVisible();
	const openedReference = ((await cases.first().locator('.measure').textContent()) ?? '').split('·').pop()!.trim();
	await cases.first().getByRole('link').click();
	await expect(page.getByRole('heading', { name: 'Personnes' })).toBeVisible();
	await page.getByRole('link', { name: 'Nouvelle note' }).click();
	await page.getByLabel('Type de note').selectOption('observation');
	await page.getByLabel('Texte de la note').fill('Observation hors ligne : goûter partagé, ambiance calme, devoirs faits.');
	await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
	await expect(page.getByText('Non synchronisée')).toBeVisible();
	await expect(page.getByTestId('pending-count')).toHaveText('1 non synchronisé');

	// Reload while offline: the shell comes from the service worker and the app is locked.
	await page.reload();
	await expect(page.getByRole('button', { name: 'Déverrouiller' })).toBeVisible();
	await expect(page.getByText('Observation hors ligne')).toHaveCount(0);
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Déverrouiller' }).click();
	await expect(page.getByText('Non synchronisée')).toBeVisible();
	await expect(page.getByText('Observation hors ligne : goûter partagé')).toBeVisible();
	expect(await rawJournalCount(page)).toBeGreaterThan(0);

	// Back online: the note and the offline access journal reach the server.
	await context.setOffline(false);
	await expect(page.getByTestId('pending-count')).toHaveText('Tout est envoyé', { timeout: 20_000 });
	await expect(page.getByText('Non synchronisée')).toHaveCount(0);
	await expect.poll(() => rawJournalCount(page), { timeout: 20_000 }).toBe(0);

	// Reading a note online is journaled too, and leaves the device once acknowledged.
	await page.getByRole('button', { name: 'Lire la note' }).first().click();
	await expect(page.getByText('Observation hors ligne : goûter partagé')).toBeVisible();
	await expect.poll(() => rawJournalCount(page)).toBe(1);
	await page.getByRole('button', { name: 'Synchroniser' }).click();
	await expect.poll(() => rawJournalCount(page), { timeout: 20_000 }).toBe(0);

	// The DPO finds, for that case, the view made offline, with both times.
	const dpo = await apiAs(playwright, baseURL, 'dpo.farid');
	const input = { filters: { caseQuery: openedReference, mode: 'offline', action: 'journal.' }, page: 1, pageSize: 50 };
	const response = await dpo.get(`/trpc/dpo.audit.search?input=${encodeURIComponent(JSON.stringify(input))}`);
	expect(response.status()).toBe(200);
	const rows = (await response.json()).result.data.rows as { action: string; offline: boolean; occurredAt: string; recordedAt: string }[];
	const view = rows.find((row) => row.action === 'journal.case.view');
	expect(view).toBeTruthy();
	expect(view!.offline).toBe(true);
	expect(new Date(view!.occurredAt).getTime()).toBeLessThanOrEqual(new Date(view!.recordedAt).getTime());
	await dpo.dispose();
});
