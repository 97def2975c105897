import { StoreError } from './StoreError';

/**
 * Runs a write and turns a quota refusal into `StoreError('quota')`. The write runs in one
 * IndexedDB transaction, so a refusal aborts it whole and leaves earlier data as it was.
 */
export async function guardWrite<T>(write: () => Promise<T>): Promise<T> {
	try {
		return await write();
	} catch (error) {
		if (isQuotaError(error)) throw new StoreError('quota', { cause: error });
		throw error;
	}
}

function isQuotaError(error: unknown): boolean {
	for (let e = error as { name?: string; inner?: unknown } | null, depth = 0; e && depth < 5; depth++) {
		if (e.name === 'QuotaExceededError') return true;
		e = e.inner as typeof e;
	}
	return false;
}
