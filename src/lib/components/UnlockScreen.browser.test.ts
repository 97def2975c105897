import { afterEach, beforeEach, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { flushSync } from 'svelte';
import { isUnlocked, setMeta } from '$lib/db';
import { PASSWORD, deleteAllDatabases } from '$lib/db/testing/fixtures';
import type { LockManager } from '$lib/lock';
import { lockedStore } from '$lib/lock/testing';
import UnlockScreen from './UnlockScreen.svelte';
import { mountInBody, unmountAll } from './testing/mountInBody';

let manager: LockManager;
let unlocked: number;
let signIn: number;

beforeEach(async () => {
	manager = await lockedStore();
	unlocked = 0;
	signIn = 0;
});

afterEach(async () => {
	unmountAll();
	await deleteAllDatabases();
});

function render() {
	mountInBody(UnlockScreen, { manager, onunlock: () => unlocked++, onsignin: () => signIn++ });
}

const passwordField = () => page.getByLabelText('Mot de passe', { exact: true });
const unlockButton = () => page.getByRole('button', { name: 'Déverrouiller' });

async function tryPassword(value: string) {
	await userEvent.fill(passwordField(), value);
	await userEvent.click(unlockButton());
}

test('the right password unlocks; fields have labels and 44 px targets', async () => {
	render();
	await expect.element(page.getByRole('heading', { name: 'Carnet verrouillé' })).toBeVisible();
	for (const element of [passwordField().element(), unlockButton().element()]) {
		expect(element.getBoundingClientRect().height).toBeGreaterThanOrEqual(44);
	}
	await tryPassword(PASSWORD);
	await expect.poll(() => unlocked).toBe(1);
	expect(manager.locked).toBe(false);
	expect(isUnlocked()).toBe(true);
});

test('wrong passwords are refused, with the wipe warning from the 5th failure', async () => {
	render();
	for (let i = 1; i <= 4; i++) {
		await tryPassword(`faux ${i}`);
		await expect.element(page.getByText('Mot de passe incorrect.')).toBeVisible();
		await expect.poll(() => manager.failedAttempts).toBe(i);
	}
	expect(page.getByText(/Attention : après 10 essais/).query()).toBeNull();
	await tryPassword('faux 5');
	await expect
		.element(page.getByText('Attention : après 10 essais, les données de cet appareil seront effacées', { exact: false }))
		.toBeVisible();
	await expect.element(page.getByText('Il reste 5 essais.', { exact: false })).toBeVisible();
	expect(unlocked).toBe(0);
	expect(isUnlocked()).toBe(false);
});

test('the warning shows at once when the persisted count is already 5 or more', async () => {
	await setMeta('failedUnlocks', 7);
	render();
	await expect.element(page.getByText('Il reste 3 essais.', { exact: false })).toBeVisible();
});

test('the 10th failure wipes and offers the online sign-in', async () => {
	await setMeta('failedUnlocks', 9);
	render();
	await tryPassword('faux');
	await expect.element(page.getByText(/les données de cet appareil ont été effacées/)).toBeVisible();
	await userEvent.click(page.getByRole('button', { name: 'Se connecter' }));
	expect(signIn).toBe(1);
});

test('a quick PIN set with the password unlocks after a lock; "Utiliser le mot de passe" goes back', async () => {
	render();
	await userEvent.click(page.getByLabelText('Définir un code PIN rapide pour cette session'));
	await userEvent.fill(passwordField(), PASSWORD);
	await userEvent.fill(page.getByLabelText('Code PIN (4 à 8 chiffres)'), '12');
	await userEvent.click(unlockButton());
	await expect.element(page.getByText('Le code PIN doit comporter de 4 à 8 chiffres.')).toBeVisible();
	expect(manager.locked).toBe(true);

	await userEvent.fill(passwordField(), PASSWORD);
	await userEvent.fill(page.getByLabelText('Code PIN (4 à 8 chiffres)'), '4821');
	await userEvent.click(unlockButton());
	await expect.poll(() => unlocked).toBe(1);

	manager.lock('idle');
	flushSync();
	await expect.element(page.getByText('Carnet s’est verrouillé après une période d’inactivité.')).toBeVisible();
	await userEvent.fill(page.getByLabelText('Code PIN', { exact: true }), '0000');
	await userEvent.click(unlockButton());
	await expect.element(page.getByText('Code PIN incorrect.')).toBeVisible();
	await userEvent.fill(page.getByLabelText('Code PIN', { exact: true }), '4821');
	await userEvent.click(unlockButton());
	await expect.poll(() => unlocked).toBe(2);

	manager.lock('manual');
	flushSync();
	await userEvent.click(page.getByRole('button', { name: 'Utiliser le mot de passe' }));
	await expect.element(passwordField()).toBeVisible();
});
