import { flushSync, mount, unmount, type Component } from 'svelte';

/**
 * Test helpers (imported by *.browser.test.ts only): a component mounted into its own element of
 * the page's body and rendered synchronously; `unmountAll` (in `afterEach`) unmounts every one and
 * empties the body.
 */

let mounted: ReturnType<typeof mount>[] = [];

export function mountInBody<Props extends Record<string, unknown>>(component: Component<Props>, props: Props = {} as Props): void {
	const target = document.createElement('div');
	document.body.append(target);
	mounted.push(mount(component, { target, props } as never));
	flushSync();
}

export function unmountAll(): void {
	for (const component of mounted) unmount(component);
	mounted = [];
	document.body.innerHTML = '';
}
