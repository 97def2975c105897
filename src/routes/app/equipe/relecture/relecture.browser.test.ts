import { afterEach, expect, test, vi } from 'vitest';
import { expectAlertKept, mountScreen, serverError, unmountScreen } from '$lib/ui/testing';

/**
 * The team review screen against a scripted API: when the team cannot be read at start, its
 * message stays on screen after the review queue has loaded (that load starts by clearing the
 * alert).
 */
const server = vi.hoisted(() => ({ queueLoads: 0 }));

vi.mock(import('$lib/api/client'), async (importOriginal) => ({
	...(await importOriginal()),
	api: {
		lead: {
			team: {
				query: async () => {
					throw serverError('internal', 500);
				}
			},
			reviewQueue: {
				query: async () => {
					server.queueLoads++;
					return { notes: [], nextBefore: null };
				}
			}
		}
	} as never
}));

const { default: ReviewQueuePage } = await import('./+page.svelte');

afterEach(unmountScreen);

test('a failed first request keeps its message after the queue has loaded', async () => {
	mountScreen(ReviewQueuePage);
	await expect.poll(() => server.queueLoads, { timeout: 3_000 }).toBe(1);
	await expectAlertKept('Le serveur a rencontré un problème');
});
