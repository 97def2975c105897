import { requireDb } from './session';
import { guardWrite } from './writeGuard';

/**
 * The count of consecutive failed unlocks, the one meta value kept in clear: the lock reads it
 * before any key exists (a count of failures is not personal data). Apart from the encrypted
 * values (`meta.ts`) so that the unlock screen needs neither zod nor the record schemas.
 */
export async function getFailedUnlocks(): Promise<number | undefined> {
	const row = await requireDb().meta.get('failedUnlocks');
	return row && 'clear' in row ? row.clear : undefined;
}

export async function setFailedUnlocks(count: number): Promise<void> {
	const db = requireDb();
	await guardWrite(() => db.transaction('rw', [db.meta], () => db.meta.put(failedUnlocksRow(count))));
}

export function failedUnlocksRow(count: number): { key: 'failedUnlocks'; clear: number } {
	return { key: 'failedUnlocks', clear: count };
}
