import { afterEach, expect, test, vi } from 'vitest';
import { page } from 'vitest/browser';
import { expectAlertKept, mountScreen, serverError, unmountScreen } from '$lib/ui/testing';

/**
 * The retention screen against a scripted API: when the rules and archived cases cannot be read
 * at start, the message stays on screen after the forecast has loaded (that load starts by
 * clearing the alert), and what could be read (the forecast, the archived cases) is shown.
 */
const server = vi.hoisted(() => ({ forecastLoads: 0 }));

vi.mock(import('$lib/api/client'), async (importOriginal) => ({
	...(await importOriginal()),
	api: {
		dpo: {
			retention: {
				rules: {
					query: async () => {
						throw serverError('internal', 500);
					}
				},
				archivedCases: { query: async () => [] },
				forecast: {
					query: async () => {
						server.forecastLoads++;
						return { weeks: [], upcoming: [], staleOpen: [], lastRun: null };
					}
				}
			}
		}
	} as never
}));

const { default: RetentionPage } = await import('./+page.svelte');

afterEach(unmountScreen);

test('a failed first request keeps its message after the forecast has loaded', async () => {
	mountScreen(RetentionPage);
	await expect.poll(() => server.forecastLoads, { timeout: 3_000 }).toBe(1);
	await expect.element(page.getByText('Aucune échéance dans les 90 prochains jours.')).toBeVisible();
	await expect.element(page.getByText('Aucun dossier archivé.')).toBeVisible();
	await expectAlertKept('Le serveur a rencontré un problème');
});
