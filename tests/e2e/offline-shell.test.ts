import { expect, test } from '@playwright/test';

test('the app shell loads offline from the service worker after a first visit', async ({ page, context }) => {
	await page.goto('/connexion');
	await expect(page.getByLabel('Identifiant')).toBeVisible();
	// Wait until the service worker controls the page and has precached the shell.
	await page.waitForFunction(async () => {
		const registration = await navigator.serviceWorker.ready;
		return !!registration.active && !!navigator.serviceWorker.controller;
	}, undefined, { timeout: 20_000 }).catch(async () => {
		await page.reload();
		await page.waitForFunction(() => !!navigator.serviceWorker.controller, undefined, { timeout: 20_000 });
	});

	const cacheNames = await page.evaluate(() => caches.keys());
	expect(cacheNames.some((name) => name.includes('precache'))).toBe(true);
	const cachedUrls = await page.evaluate(async () => {
		const urls: string[] = [];
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
		}
		return urls;
	});
	expect(cachedUrls.some((u) => u.startsWith('/trpc'))).toBe(false);

	await context.setOffline(true);
	await page.goto('/connexion');
	await expect(page.getByLabel('Identifiant')).toBeVisible();
	await page.goto('/app');
	await expect(page.getByText('Carnet').first()).toBeVisible();
	await context.setOffline(false);
});
