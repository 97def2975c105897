import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createKeyring } from '$lib/db';
import { PASSWORD, TEST_KDF_PARAMS, deleteAllDatabases, openFreshStore } from '$lib/db/testing/fixtures';
import type { SyncRunResult } from './syncWithServer';

/** The run's outcome is the test's; the manager around it (status, revision) is the real one. */
const runs = vi.hoisted(() => ({ next: [] as Partial<SyncRunResult>[] }));
vi.mock('./syncWithServer', () => ({
	syncWithServer: async (): Promise<SyncRunResult> => ({
		pushed: 0,
		issues: [],
		pull: { records: 0, changed: false, revokedCaseIds: [], droppedLocalWork: 0, policy: null },
		journalSent: 0,
		journalIncidents: [],
		changed: false,
		...runs.next.shift()
	})
}));

const { sync } = await import('./sync-manager.svelte');

beforeEach(async () => {
	await deleteAllDatabases();
	await openFreshStore();
	await createKeyring(PASSWORD, { kdfParams: TEST_KDF_PARAMS });
});

afterEach(deleteAllDatabases);

test('pages reload after a run that changed the store, not after one that changed nothing', async () => {
	const before = sync.revision;
	runs.next = [{ changed: false, journalSent: 3 }];
	expect(await sync.syncNow()).not.toBeNull();
	expect(sync.revision).toBe(before);
	expect(sync.lastError).toBeNull();

	runs.next = [{ changed: true, pull: { records: 2, changed: true, revokedCaseIds: [], droppedLocalWork: 0, policy: null } }];
	await sync.syncNow();
	expect(sync.revision).toBe(before + 1);
});
