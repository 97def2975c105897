import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** Shared steps of the end-to-end tests (the demo password is printed in README.md). */
export const DEMO_PASSWORD = 'Carnet-Demo-2026!';

/** Fills and submits the real login page. */
export async function submitLogin(page: Page, username: string): Promise<void> {
	await page.goto('/connexion');
	await page.getByLabel('Identifiant').fill(username);
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Signs a field worker in and waits for the end of the first sync. */
export async function signInAndSync(page: Page, username: string): Promise<void> {
	await submitLogin(page, username);
	await expect(page.getByTestId('last-sync')).not.toHaveText('jamais');
}

/** Rows of one object store summed over every Carnet IndexedDB database, read raw (no app code). */
export async function rawStoreCount(page: Page, store: string): Promise<number> {
	return (await rawStoreRows(page, store)).length;
}

/** Every row of one object store over every Carnet IndexedDB database, read raw (no app code). */
export async function rawStoreRows<Row = Record<string, unknown>>(page: Page, store: string): Promise<Row[]> {
	return page.evaluate(async (storeName) => {
		const rows: unknown[] = [];
		for (const info of await indexedDB.databases()) {
			if (!info.name?.startsWith('carnet-')) continue;
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const request = indexedDB.open(info.name!);
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
			if (db.objectStoreNames.contains(storeName)) {
				rows.push(
					...(await new Promise<unknown[]>((resolve) => {
						const request = db.transaction(storeName).objectStore(storeName).getAll();
						request.onsuccess = () => resolve(request.result);
					}))
				);
			}
			db.close();
		}
		return rows;
	}, store) as Promise<Row[]>;
}

type RequestFactory = { request: { newContext(options: { baseURL?: string }): Promise<APIRequestContext> } };

/** An API client signed in as `username`, through the real /trpc endpoint. */
export async function apiAs(playwright: RequestFactory, baseURL: string | undefined, username: string): Promise<APIRequestContext> {
	const api = await playwright.request.newContext({ baseURL });
	const login = await api.post('/trpc/auth.login', { data: { username, password: DEMO_PASSWORD } });
	expect(login.status()).toBe(200);
	return api;
}

export async function apiQuery<T>(api: APIRequestContext, path: string, input?: unknown): Promise<T> {
	const suffix = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
	const response = await api.get(`/trpc/${path}${suffix}`);
	expect(response.status(), await response.text()).toBe(200);
	return (await response.json()).result.data as T;
}

export async function apiMutate<T>(api: APIRequestContext, path: string, input: unknown): Promise<T> {
	const response = await api.post(`/trpc/${path}`, { data: input });
	expect(response.status(), await response.text()).toBe(200);
	return (await response.json()).result.data as T;
}

/**
 * Holds the app's entry modules at the network until the returned function is called: what a slow
 * tablet's compile of the app's code looks like to the user (the cold start's early unlock form is
 * shown, the app's own screens are not). Needs `serviceWorkers: 'block'`, or the service worker
 * would answer from its cache.
 */
export async function holdAppCode(page: Page): Promise<() => void> {
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/entry/**', async (route) => {
		await held;
		await route.continue();
	});
	return release;
}
