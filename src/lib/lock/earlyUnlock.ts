/**
 * The unlock form that static/early-unlock.js shows while the app's code loads (a cold start).
 * The app's unlock screen takes it over: what was typed, and whether "Déverrouiller" was pressed;
 * any other screen just removes it.
 */

/** The id static/early-unlock.js gives its section. */
export const EARLY_UNLOCK_ID = 'early-unlock';

export type EarlyUnlock = {
	/** What was typed in the password field (may be empty). */
	password: string;
	/** "Déverrouiller" was pressed with a password typed. */
	submitted: boolean;
};

/** Removes the early form and returns what it held, or null when there is none. Clears its field first. */
export function takeEarlyUnlock(): EarlyUnlock | null {
	const section = document.getElementById(EARLY_UNLOCK_ID);
	if (!section) return null;
	const input = section.querySelector<HTMLInputElement>('input[type="password"]');
	const taken = { password: input?.value ?? '', submitted: section.hasAttribute('data-submitted') };
	if (input) input.value = '';
	section.remove();
	// Set with the form: it hid the app's own screens (app.css) while the form stood in for them.
	document.documentElement.removeAttribute('data-early-unlock');
	return taken;
}

/** For screens other than the unlock screen: removes the early form, dropping what it held. */
export function dropEarlyUnlock(): void {
	takeEarlyUnlock();
}
