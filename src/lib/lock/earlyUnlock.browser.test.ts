import { afterEach, beforeEach, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { flushSync, mount, unmount } from 'svelte';
import earlyUnlockScript from '../../../static/early-unlock.js?raw';
import '../../app.css';
import { isUnlocked } from '$lib/db';
import { PASSWORD, deleteAllDatabases } from '$lib/db/testing/fixtures';
import type { LockManager } from '$lib/lock';
import { lockedStore } from './testing';
import UnlockScreen from '$lib/components/UnlockScreen.svelte';
import { EARLY_UNLOCK_ID, dropEarlyUnlock, takeEarlyUnlock } from './earlyUnlock';

let manager: LockManager;
let component: ReturnType<typeof mount> | null = null;
let unlocked: number;
let timers: Array<() => void>;

beforeEach(async () => {
	manager = await lockedStore();
	unlocked = 0;
	timers = [];
});

afterEach(async () => {
	if (component) unmount(component);
	component = null;
	document.body.innerHTML = '';
	document.documentElement.removeAttribute('data-early-unlock');
	await deleteAllDatabases();
});

/** Runs the real static/early-unlock.js as the shell would, at `pathname`, with or without a recorded store. */
function runEarlyScript(pathname: string, storeName: string | null, doc: Document = document) {
	const run = new Function('location', 'localStorage', 'setTimeout', 'document', earlyUnlockScript);
	run({ pathname }, { getItem: (key: string) => (key === 'carnet.store' ? storeName : null) }, (callback: () => void) => timers.push(callback), doc);
}

function renderUnlockScreen(target = document.createElement('div')) {
	if (!target.isConnected) document.body.prepend(target);
	component = mount(UnlockScreen, { target, props: { manager, onunlock: () => unlocked++ } });
	flushSync();
}

const section = () => document.getElementById(EARLY_UNLOCK_ID);
const passwordField = () => page.getByLabelText('Mot de passe', { exact: true });
const unlockButton = () => page.getByRole('button', { name: 'Déverrouiller' });

test('shown only on the app’s pages of a device that holds a store', () => {
	runEarlyScript('/connexion', 'carnet-0123');
	runEarlyScript('/app', null);
	runEarlyScript('/application', 'carnet-0123');
	expect(section()).toBeNull();
	runEarlyScript('/app/dossier/3f1e', 'carnet-0123');
	expect(section()).not.toBeNull();
});

test('run from the head, before the parser has made the body: the form goes in as soon as the body exists', async () => {
	const doc = document.implementation.createHTMLDocument('');
	doc.body.remove();
	runEarlyScript('/app', 'carnet-0123', doc);
	expect(doc.getElementById(EARLY_UNLOCK_ID)).toBeNull();
	doc.documentElement.append(doc.createElement('body'));
	await expect.poll(() => doc.body.firstElementChild?.id).toBe(EARLY_UNLOCK_ID);
	expect(doc.title).toBe('Carnet verrouillé — Carnet');
	expect(doc.querySelector('#early-unlock button[type="submit"]')?.textContent).toBe('Déverrouiller');
});

test('usable at once: labelled field, enabled button, focus in the field; a press is held, never submitted natively', async () => {
	runEarlyScript('/app', 'carnet-0123');
	await expect.element(page.getByRole('heading', { name: 'Carnet verrouillé' })).toBeVisible();
	await expect.element(unlockButton()).toBeEnabled();
	await expect.poll(() => document.activeElement).toBe(passwordField().element());
	let nativeSubmissions = 0;
	section()!.querySelector('form')!.addEventListener('submit', (event) => {
		if (!event.defaultPrevented) nativeSubmissions++;
		event.preventDefault();
	});
	await userEvent.click(unlockButton());
	expect(section()!.hasAttribute('data-submitted')).toBe(false); // nothing typed: nothing to hold
	await userEvent.type(passwordField(), PASSWORD);
	await userEvent.keyboard('{Enter}');
	expect(section()!.hasAttribute('data-submitted')).toBe(true);
	await expect.element(page.getByRole('status')).toHaveTextContent('Déverrouillage dès que Carnet est prêt…');
	expect(nativeSubmissions).toBe(0);
});

test('a password typed and submitted before the app is ready unlocks once the unlock screen takes over', async () => {
	runEarlyScript('/app', 'carnet-0123');
	await userEvent.type(passwordField(), PASSWORD);
	await userEvent.click(unlockButton());
	const field = section()!.querySelector('input')!;
	// The app's own screens are hidden while the early form stands in for them (app.css).
	const appRoot = document.createElement('div');
	document.body.prepend(appRoot);
	expect(getComputedStyle(appRoot).display).toBe('none');
	renderUnlockScreen(appRoot);
	expect(section()).toBeNull();
	expect(field.value).toBe('');
	expect(getComputedStyle(appRoot).display).not.toBe('none');
	await expect.poll(() => unlocked).toBe(1);
	expect(isUnlocked()).toBe(true);
});

test('a wrong password submitted early counts as a failure like any other', async () => {
	runEarlyScript('/app', 'carnet-0123');
	await userEvent.type(passwordField(), 'pas le bon');
	await userEvent.click(unlockButton());
	renderUnlockScreen();
	await expect.element(page.getByText('Mot de passe incorrect.')).toBeVisible();
	expect(manager.failedAttempts).toBe(1);
	expect(isUnlocked()).toBe(false);
});

test('typed but not submitted: the unlock screen goes on with what was typed, focused, and waits', async () => {
	runEarlyScript('/app', 'carnet-0123');
	await userEvent.type(passwordField(), PASSWORD.slice(0, 8));
	renderUnlockScreen();
	expect(section()).toBeNull();
	await expect.element(passwordField()).toHaveValue(PASSWORD.slice(0, 8));
	await expect.poll(() => document.activeElement).toBe(passwordField().element());
	await userEvent.keyboard(PASSWORD.slice(8));
	await userEvent.click(unlockButton());
	await expect.poll(() => unlocked).toBe(1);
});

test('not sent on its own when the next failures would wipe the device: the warning is read first', async () => {
	for (let i = 0; i < 5; i++) expect(await manager.unlock(`faux ${i}`)).toBe('wrong-password');
	runEarlyScript('/app', 'carnet-0123');
	await userEvent.type(passwordField(), PASSWORD);
	await userEvent.click(unlockButton());
	renderUnlockScreen();
	await expect.element(page.getByText('Il reste 5 essais.', { exact: false })).toBeVisible();
	await expect.element(passwordField()).toHaveValue(PASSWORD);
	expect(unlocked).toBe(0);
	expect(manager.failedAttempts).toBe(5);
	await userEvent.click(unlockButton());
	await expect.poll(() => unlocked).toBe(1);
});

test('other screens drop it and what it held; if the app never takes over, it says so in French', async () => {
	runEarlyScript('/app', 'carnet-0123');
	await userEvent.type(passwordField(), PASSWORD);
	const field = section()!.querySelector('input')!;
	dropEarlyUnlock();
	expect(section()).toBeNull();
	expect(field.value).toBe('');
	expect(takeEarlyUnlock()).toBeNull();

	runEarlyScript('/app', 'carnet-0123');
	await userEvent.type(passwordField(), PASSWORD);
	await userEvent.click(unlockButton());
	expect(timers).toHaveLength(2);
	timers[1]();
	await expect.element(page.getByRole('status')).toHaveTextContent('Carnet n’a pas pu démarrer. Rechargez la page');
	expect(section()!.hasAttribute('data-submitted')).toBe(false);
	expect((section()!.querySelector('input') as HTMLInputElement).value).toBe('');
});
