import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { flushSync } from 'svelte';
import {
	createKeyring,
	getMeta,
	hasKeyring,
	isUnlocked,
	listCaseload,
	putPullPage,
	setMeta,
	storeNameFor
} from '$lib/db';
import { PASSWORD, TEST_KDF_PARAMS, deleteAllDatabases, makeCaseload, openFreshStore } from '$lib/db/testing/fixtures';
import { LockManager, lockManager, type LockReason } from './lock-manager.svelte';
import { HIDDEN_LOCK_MS, MAX_PASSWORD_ATTEMPTS } from './lockPolicy';

class FakeDocument extends EventTarget {
	hidden = false;
	setHidden(hidden: boolean) {
		this.hidden = hidden;
		this.dispatchEvent(new Event('visibilitychange'));
	}
}

let clock: number;
let doc: FakeDocument;
let win: EventTarget;
let manager: LockManager;
let dbName: string;

function newManager() {
	const m = new LockManager({ now: () => clock, window: win, document: doc, pinKdfParams: TEST_KDF_PARAMS });
	m.start();
	return m;
}

beforeEach(async () => {
	await deleteAllDatabases();
	dbName = await storeNameFor(await openFreshStore());
	await createKeyring(PASSWORD, { kdfParams: TEST_KDF_PARAMS });
	await putPullPage(makeCaseload());
	clock = 1_700_000_000_000;
	doc = new FakeDocument();
	win = new EventTarget();
	manager = newManager();
	// A fresh manager is locked: make the store agree, as after a reload.
	manager.lock('reload');
});

afterEach(async () => {
	manager.stop();
	await deleteAllDatabases();
});

describe('starting', () => {
	test('a fresh manager is locked, and so is the app singleton', () => {
		const fresh = new LockManager({ now: () => clock, window: win, document: doc });
		expect(fresh.locked).toBe(true);
		expect(fresh.reason).toBe('reload');
		expect(lockManager.locked).toBe(true);
		expect(isUnlocked()).toBe(false);
	});
});

describe('idle and hidden', () => {
	test('past the idle timeout the manager locks, drops the key and runs every clear callback', async () => {
		const cleared: LockReason[] = [];
		let decrypted: unknown = null;
		manager.onLock((reason) => cleared.push(reason));
		manager.onLock(() => {
			throw new Error('a broken subscriber');
		});
		manager.onLock(() => (decrypted = null));
		expect(await manager.unlock(PASSWORD)).toBe('unlocked');
		decrypted = (await listCaseload()).items;
		expect(manager.idleTimeoutSeconds).toBe(300);

		clock += 299_000;
		manager.check();
		expect(manager.locked).toBe(false);

		clock += 2_000;
		manager.check();
		expect(manager.locked).toBe(true);
		expect(manager.reason).toBe('idle');
		expect(cleared).toEqual(['idle']);
		expect(decrypted).toBeNull();
		expect(isUnlocked()).toBe(false);
		await expect(listCaseload()).rejects.toMatchObject({ code: 'locked' });
	});

	test('input activity postpones the idle lock', async () => {
		await manager.unlock(PASSWORD);
		for (const type of ['pointerdown', 'keydown', 'touchstart', 'wheel']) {
			clock += 250_000;
			win.dispatchEvent(new Event(type));
			manager.check();
			expect(manager.locked, type).toBe(false);
		}
		clock += 300_001;
		manager.check();
		expect(manager.locked).toBe(true);
	});

	test('the organisation policy sets the idle timeout (stored policy applied at unlock, bounded)', async () => {
		await manager.unlock(PASSWORD);
		await setMeta('policy', { lockTimeoutSeconds: 120, maxOfflineDays: 7 });
		manager.lock('manual');
		await manager.unlock(PASSWORD);
		expect(manager.idleTimeoutSeconds).toBe(120);
		clock += 121_000;
		manager.check();
		expect(manager.reason).toBe('idle');
		manager.applyPolicy({ lockTimeoutSeconds: 0 });
		expect(manager.idleTimeoutSeconds).toBe(30);
	});

	test('hidden for more than 60 s locks on return, even if no timer ran meanwhile', async () => {
		await manager.unlock(PASSWORD);
		doc.setHidden(true);
		clock += HIDDEN_LOCK_MS + 1;
		// No check() while hidden: a throttled background tab may not run any timer.
		doc.setHidden(false);
		expect(manager.locked).toBe(true);
		expect(manager.reason).toBe('hidden');
	});

	test('hidden for less than 60 s does not lock, and the periodic check catches a long hide', async () => {
		await manager.unlock(PASSWORD);
		doc.setHidden(true);
		clock += 59_000;
		doc.setHidden(false);
		expect(manager.locked).toBe(false);
		doc.setHidden(true);
		clock += 61_000;
		manager.check();
		expect(manager.locked).toBe(true);
		expect(manager.reason).toBe('hidden');
	});
});

describe('wrong passwords', () => {
	test('a wrong password does not unlock and is counted; the right one resets the count', async () => {
		expect(await manager.unlock('faux')).toBe('wrong-password');
		expect(manager.locked).toBe(true);
		expect(isUnlocked()).toBe(false);
		expect(manager.failedAttempts).toBe(1);
		expect(await getMeta('failedUnlocks')).toBe(1);
		expect(await manager.unlock(PASSWORD)).toBe('unlocked');
		expect(manager.failedAttempts).toBe(0);
		expect(await getMeta('failedUnlocks')).toBe(0);
	});

	test('the count survives a new manager (reload); the warning shows from the 5th failure', async () => {
		for (let i = 1; i <= 4; i++) await manager.unlock(`faux ${i}`);
		flushSync();
		expect(manager.warnBeforeWipe).toBe(false);
		expect(manager.remainingAttempts).toBe(6);
		await manager.unlock('faux 5');
		flushSync();
		expect(manager.warnBeforeWipe).toBe(true);

		const reloaded = newManager();
		await reloaded.load();
		expect(reloaded.failedAttempts).toBe(5);
		expect(reloaded.remainingAttempts).toBe(5);
		reloaded.stop();
	});

	test('10 wrong passwords in a row wipe the store', async () => {
		for (let i = 1; i < MAX_PASSWORD_ATTEMPTS; i++) expect(await manager.unlock(`faux ${i}`)).toBe('wrong-password');
		expect(await hasKeyring()).toBe(true);
		expect(await manager.unlock('faux 10')).toBe('wiped');
		expect(manager.wiped).toBe(true);
		expect(manager.locked).toBe(true);
		expect(await hasKeyring()).toBe(false);
		expect((await indexedDB.databases()).map((d) => d.name)).toContain(dbName); // recreated empty
		const db = await new Promise<IDBDatabase>((resolve) => {
			const req = indexedDB.open(dbName);
			req.onsuccess = () => resolve(req.result);
		});
		for (const store of ['cases', 'persons', 'notes', 'notePacks', 'keyring']) {
			const count = await new Promise<number>((resolve) => {
				const req = db.transaction(store).objectStore(store).count();
				req.onsuccess = () => resolve(req.result);
			});
			expect(count, store).toBe(0);
		}
		db.close();
		// The right password cannot bring anything back.
		await expect(manager.unlock(PASSWORD)).rejects.toMatchObject({ code: 'no-keyring' });
	});
});

describe('quick PIN', () => {
	test('a PIN set at unlock reopens the store after a lock, in memory only', async () => {
		expect(await manager.unlock(PASSWORD, { pin: '4821' })).toBe('unlocked');
		expect(manager.hasPin).toBe(true);
		manager.lock('manual');
		expect(await manager.unlockWithPin('4821')).toBe('unlocked');
		expect((await listCaseload()).items).toHaveLength(3);

		const reloaded = newManager();
		expect(reloaded.hasPin).toBe(false);
		expect(await reloaded.unlockWithPin('4821')).toBe('pin-unavailable');
		reloaded.stop();
	});

	test('5 wrong PINs forget the PIN and require the password', async () => {
		await manager.unlock(PASSWORD, { pin: '4821' });
		manager.lock('manual');
		for (let i = 0; i < 4; i++) {
			expect(await manager.unlockWithPin('0000')).toBe('wrong-pin');
			expect(manager.locked).toBe(true);
		}
		expect(manager.pinAttemptsLeft).toBe(1);
		expect(await manager.unlockWithPin('0000')).toBe('pin-exhausted');
		expect(manager.hasPin).toBe(false);
		expect(await manager.unlockWithPin('4821')).toBe('pin-unavailable');
		expect(isUnlocked()).toBe(false);
		expect(await manager.unlock(PASSWORD)).toBe('unlocked');
	});

	test('a wrong password with a PIN request sets no PIN', async () => {
		expect(await manager.unlock('faux', { pin: '4821' })).toBe('wrong-password');
		expect(manager.hasPin).toBe(false);
	});
});
