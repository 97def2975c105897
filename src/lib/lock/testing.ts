import { createKeyring } from '$lib/db';
import { PASSWORD, TEST_KDF_PARAMS, deleteAllDatabases, openFreshStore } from '$lib/db/testing/fixtures';
import { LockManager } from './lock-manager.svelte';

/** A document that is never hidden (the lock's visibility rule stays out of the way). */
class VisibleDocument extends EventTarget {
	hidden = false;
}

/**
 * Test helper (imported by *.browser.test.ts only): a fresh store whose keyring opens with
 * `PASSWORD` (light KDF parameters), and a lock manager on it, locked as after a reload.
 */
export async function lockedStore(): Promise<LockManager> {
	await deleteAllDatabases();
	await openFreshStore();
	await createKeyring(PASSWORD, { kdfParams: TEST_KDF_PARAMS });
	const manager = new LockManager({ window: new EventTarget(), document: new VisibleDocument(), pinKdfParams: TEST_KDF_PARAMS });
	manager.lock('reload');
	return manager;
}
