/** Helpers for browser tests of screens (not bundled in the app: imported by tests only). */
import { TRPCClientError } from '@trpc/client';
import { flushSync, mount, unmount, type Component } from 'svelte';
import { expect } from 'vitest';
import { page } from 'vitest/browser';

/** An error as the tRPC client throws it when the server answered with an application code. */
export function serverError(appCode: string, httpStatus = 409): TRPCClientError<never> {
	return new TRPCClientError(appCode, { result: { error: { message: appCode, code: -32600, data: { appCode, httpStatus } } } } as never);
}

let mounted: ReturnType<typeof mount> | null = null;

/** Mounts a screen (a route's page component) in the test page, as the app would show it. */
export function mountScreen(screen: Component): void {
	const target = document.createElement('div');
	document.body.append(target);
	mounted = mount(screen, { target });
	flushSync();
}

/** Unmounts the screen mounted last and empties the page (for afterEach). */
export function unmountScreen(): void {
	if (mounted) unmount(mounted);
	mounted = null;
	document.body.innerHTML = '';
}

/**
 * The screen's alert says `text` a moment after the awaited loads, not only before them: for a
 * message that a load following it must not clear.
 */
export async function expectAlertKept(text: string): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, 50));
	await expect.element(page.getByRole('alert'), { timeout: 3_000 }).toHaveTextContent(text);
}
