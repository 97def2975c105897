import { afterEach, expect, test, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { expectAlertKept, mountScreen, serverError, unmountScreen } from '$lib/ui/testing';

/**
 * The access review screen against a scripted API: an account changed by someone else meanwhile
 * ("account-conflict") reloads the review and keeps the message on screen.
 */
const server = vi.hoisted(() => ({ reviews: 0, version: 1 }));

function account(version: number) {
	return {
		id: '00000000-0000-4000-8000-000000000001',
		username: 'aed.bruno',
		displayName: 'Bruno Lemaire',
		role: 'worker' as const,
		disabled: false,
		organisationName: 'Département fictif',
		teamName: 'AED Nord',
		caseCount: 12,
		activeDelegations: 0,
		habilitations: [],
		lastLoginAt: null,
		lastReviewAt: null,
		flags: [],
		closedCaseReferences: [],
		version
	};
}

vi.mock(import('$lib/api/client'), async (importOriginal) => ({
	...(await importOriginal()),
	api: {
		admin: {
			habilitationReview: {
				query: async () => {
					server.reviews++;
					return { generatedAt: new Date().toISOString(), accounts: [account(server.version)], staleDelegations: [] };
				}
			},
			markReviewed: {
				mutate: async () => {
					server.version++;
					throw serverError('account-conflict');
				}
			},
			revokeDelegation: { mutate: async () => ({}) }
		}
	} as never
}));

const { default: ReviewPage } = await import('./+page.svelte');

afterEach(unmountScreen);

test('an account changed meanwhile: the review is reloaded and the conflict message stays shown', async () => {
	mountScreen(ReviewPage);
	const button = page.getByRole('button', { name: 'Marquer comme revu : Bruno Lemaire' });
	await expect.element(button).toBeVisible();
	expect(server.reviews).toBe(1);

	await userEvent.click(button);
	await expect.element(page.getByRole('alert'), { timeout: 3_000 }).toHaveTextContent('Ce compte a été modifié entre-temps par quelqu’un d’autre');
	expect(server.reviews).toBe(2);
	// Still there once everything has settled (the reload does not wipe it).
	await expectAlertKept('Ce compte a été modifié entre-temps');
});
