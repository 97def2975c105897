import { expect, test, type Page } from '@playwright/test';
import { signInAndSync } from '../support/e2e';

/**
 * The sync engine receives its pull pages in a dedicated worker (src/lib/api/pullFetch.worker.ts),
 * on the real app and server: the caseload arrives whole, the server's refusals reach the screen
 * as before, and without the worker the pages come on the page's thread.
 */

const isPullWorker = (url: string) => url.includes('pullFetch.worker');

/** The pull workers the page starts, and whether each is still running. */
function watchPullWorkers(page: Page) {
	const seen: { url: string; closed: boolean }[] = [];
	page.on('worker', (worker) => {
		if (!isPullWorker(worker.url())) return;
		const entry = { url: worker.url(), closed: false };
		seen.push(entry);
		worker.on('close', () => (entry.closed = true));
	});
	return seen;
}

const caseItems = (page: Page) => page.getByRole('list', { name: 'Dossiers' }).getByRole('listitem');

test('the first sync receives its pages in a worker and stores the whole caseload', async ({ page }) => {
	const workers = watchPullWorkers(page);
	await signInAndSync(page, 'tisf.amelie');
	await expect(caseItems(page)).toHaveCount(10);
	// One worker, still running: it answered every page (a failed one is closed and replaced by
	// requests on the page's thread).
	expect(workers).toHaveLength(1);
	expect(workers[0].closed).toBe(false);
});

test('a refusal answered to the worker reaches the screen as the server said it', async ({ page, context }) => {
	const workers = watchPullWorkers(page);
	await signInAndSync(page, 'tisf.amelie');
	// The session is gone (expired, signed out elsewhere): the next pull is refused with 401. The
	// outbox is empty, so the pull (through the worker) is the sync's first request.
	await context.clearCookies();
	await page.getByRole('button', { name: 'Synchroniser' }).click();
	await expect(page.getByText('Votre session a expiré : reconnectez-vous pour synchroniser.')).toBeVisible();
	// The cases already on the device stay.
	await expect(caseItems(page)).toHaveCount(10);
	expect(workers.filter((w) => !w.closed)).toHaveLength(1);
});

test.describe('without the worker', () => {
	// Otherwise the service worker would serve the worker's script from its cache.
	test.use({ serviceWorkers: 'block' });

	test('when the worker cannot start, the pages come on the page thread', async ({ page }) => {
		let refused = 0;
		await page.route('**/*pullFetch.worker*', (route) => {
			refused++;
			return route.abort();
		});
		await signInAndSync(page, 'tisf.amelie');
		await expect(caseItems(page)).toHaveCount(10);
		expect(refused).toBeGreaterThan(0);
	});
});
