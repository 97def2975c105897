import { expect, test } from 'vitest';
import { StoreError } from '$lib/db';
import { syncErrorText } from '$lib/i18n/sync';
import { toSyncError } from './toSyncError';

test('store failures become the sync codes the status bar explains in French', () => {
	const cases = [
		['quota', 'quota'],
		['conflict', 'busy'],
		['locked', 'locked']
	] as const;
	for (const [store, sync] of cases) {
		const error = toSyncError(new StoreError(store));
		expect(error.code).toBe(sync);
		expect(syncErrorText[error.code]).toMatch(/[a-zé]/);
	}
	expect(syncErrorText.busy).toContain('Rien n’a été perdu');
});
