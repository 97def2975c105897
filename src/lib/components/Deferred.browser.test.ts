import { afterEach, expect, test } from 'vitest';
import { page } from 'vitest/browser';
import Deferred from './Deferred.svelte';
import { mountInBody, unmountAll } from './testing/mountInBody';
import ShownForTest from '$lib/ui/ShownForTest.svelte';

type View = { default: typeof ShownForTest };
afterEach(unmountAll);

/** A load the test settles when it wants. */
function controlledLoad() {
	let settle!: { resolve: (view: View) => void; reject: (error: Error) => void };
	const promise = new Promise<View>((resolve, reject) => (settle = { resolve, reject }));
	return { load: () => promise, settle };
}

function show(props: Record<string, unknown>) {
	mountInBody(Deferred, props as never);
}

test('says "Chargement…" while the code loads, then shows the view with its props', async () => {
	const { load, settle } = controlledLoad();
	show({ load, props: { label: 'dossier 42' }, what: 'le dossier' });
	await expect.element(page.getByText('Chargement…')).toBeVisible();
	expect(document.body.textContent).not.toContain('Vue :');
	settle.resolve({ default: ShownForTest });
	await expect.element(page.getByText('Vue : dossier 42')).toBeVisible();
	expect(document.body.textContent).not.toContain('Chargement…');
});

test('a code that cannot be loaded gives a French error naming what is missing, not a blank page', async () => {
	const { load, settle } = controlledLoad();
	show({ load, props: { label: 'x' }, what: 'le dossier' });
	settle.reject(new Error('Failed to fetch dynamically imported module'));
	const alert = page.getByRole('alert');
	await expect.element(alert).toHaveTextContent('Impossible d’afficher le dossier. Rechargez la page.');
	expect(alert.element().classList.contains('error')).toBe(true);
});

test('quiet (a bar): nothing while loading, a warning if it fails', async () => {
	const { load, settle } = controlledLoad();
	show({ load, props: { label: 'x' }, what: 'l’état de la synchronisation', quiet: true });
	await new Promise((resolve) => setTimeout(resolve, 20));
	expect(document.body.textContent?.trim()).toBe('');
	settle.reject(new Error('offline'));
	const alert = page.getByRole('alert');
	await expect.element(alert).toHaveTextContent('Impossible d’afficher l’état de la synchronisation.');
	expect(alert.element().classList.contains('warn')).toBe(true);
});
