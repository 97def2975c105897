/**
 * Asks the browser not to evict the store under storage pressure. Chromium grants it silently
 * to installed or engaged sites; the answer says whether it did.
 */
export async function requestPersistentStorage(): Promise<boolean> {
	if (!navigator.storage?.persist) return false;
	if (await navigator.storage.persisted()) return true;
	return navigator.storage.persist();
}

/** Bytes used and available to this origin, or null when the browser does not say. */
export async function storageEstimate(): Promise<StorageEstimateResult | null> {
	if (!navigator.storage?.estimate) return null;
	const { usage, quota } = await navigator.storage.estimate();
	const persisted = navigator.storage.persisted ? await navigator.storage.persisted() : false;
	return { usage: usage ?? 0, quota: quota ?? 0, persisted };
}

export type StorageEstimateResult = { usage: number; quota: number; persisted: boolean };
