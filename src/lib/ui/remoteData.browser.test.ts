import { describe, expect, it } from 'vitest';
import type { ApiErrorInfo } from '$lib/api/client';
import { RemoteData } from './remoteData.svelte';
import { serverError } from './testing';

const NETWORK = 'Pas de connexion au serveur. Vos données restent sur cet appareil ; réessayez quand le réseau revient.';
const CONFLICT = 'Ce compte a été modifié entre-temps par quelqu’un d’autre : rechargez la fiche pour voir ses changements, puis refaites les vôtres.';

/** A request the test answers when it chooses, to look at the state while it runs. */
function pending<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

describe('RemoteData', () => {
	it('holds the initial value and is loading until the first load ends', async () => {
		const request = pending<string[]>();
		const data = new RemoteData<string[]>([], () => request.promise);
		expect(data.value).toEqual([]);
		expect(data.loading).toBe(true);
		expect(data.error).toBeNull();

		const loaded = data.load();
		expect(data.loading).toBe(true);
		request.resolve(['AN-2025-001']);
		await loaded;
		expect(data.value).toEqual(['AN-2025-001']);
		expect(data.loading).toBe(false);
		expect(data.error).toBeNull();
	});

	it('turns a failed load into a French sentence and keeps the value shown so far', async () => {
		let fail = false;
		const data = new RemoteData<string[]>([], async () => {
			if (fail) throw new TypeError('Failed to fetch');
			return ['AN-2025-001'];
		});
		await data.load();
		fail = true;
		await expect(data.load()).resolves.toBeUndefined();
		expect(data.error).toBe(NETWORK);
		expect(data.value).toEqual(['AN-2025-001']);
		expect(data.loading).toBe(false);
	});

	it('describes a server refusal by its code, and clears the error when a load starts again', async () => {
		const answers: (() => Promise<number>)[] = [() => Promise.reject(serverError('account-conflict')), () => Promise.resolve(2)];
		const data = new RemoteData<number>(0, () => answers.shift()!());
		await data.load();
		expect(data.error).toBe(CONFLICT);

		const again = data.load();
		expect(data.error).toBeNull();
		expect(data.loading).toBe(true);
		await again;
		expect(data.value).toBe(2);
	});

	it('loadWith replaces the value from another request and leaves an error already shown', async () => {
		const data = new RemoteData<number[]>([1], async () => [1]);
		data.fail(new TypeError('Failed to fetch'));
		const more = pending<number[]>();
		const loading = data.loadWith(() => more.promise);
		expect(data.loading).toBe(true);
		more.resolve([1, 2]);
		await loading;
		expect(data.value).toEqual([1, 2]);
		expect(data.loading).toBe(false);
		expect(data.error).toBe(NETWORK);
	});

	it('change runs the change, then loads again', async () => {
		let server = ['a'];
		let fetches = 0;
		const data = new RemoteData<string[]>([], async () => {
			fetches++;
			return [...server];
		});
		await data.load();
		let fetchesBeforeChange = -1;
		await data.change(async () => {
			fetchesBeforeChange = fetches;
			server = ['a', 'b'];
		});
		expect(fetchesBeforeChange).toBe(1);
		expect(fetches).toBe(2);
		expect(data.value).toEqual(['a', 'b']);
		expect(data.error).toBeNull();
		expect(data.loading).toBe(false);
	});

	it('a failed change shows in the alert by default and loads nothing', async () => {
		let fetches = 0;
		const data = new RemoteData<string[]>([], async () => {
			fetches++;
			return ['a'];
		});
		await data.load();
		await expect(data.change(() => Promise.reject(serverError('account-conflict')))).resolves.toBeUndefined();
		expect(data.error).toBe(CONFLICT);
		expect(fetches).toBe(1);
		expect(data.value).toEqual(['a']);
	});

	it('a failed change goes to the report given instead, with its code, and is done once the report is', async () => {
		const data = new RemoteData<string[]>([], async () => ['a']);
		await data.load();
		const reports: [string, ApiErrorInfo['appCode']][] = [];
		await data.change(
			() => Promise.reject(serverError('account-conflict')),
			async (message, info) => {
				await Promise.resolve();
				reports.push([message, info.appCode]);
			}
		);
		expect(reports).toEqual([[CONFLICT, 'account-conflict']]);
		expect(data.error).toBeNull();
	});
});
