import { getMeta, setMeta } from '$lib/db';

/** This device's id (a random UUID made once per store, kept encrypted in the store's meta). */
export async function ensureDeviceId(): Promise<string> {
	const existing = await getMeta('deviceId');
	if (existing) return existing;
	const id = crypto.randomUUID();
	await setMeta('deviceId', id);
	return id;
}
