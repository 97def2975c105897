import { releaseKdfMemory, sha256Hex } from '$lib/crypto';
import { CarnetDb } from './CarnetDb';
import { forgetOpenedValues } from './openedValues';
import { StoreError } from './StoreError';

/**
 * The store of the signed-in user on this tab, and its data key while unlocked. Nothing here
 * is persisted: a reload starts with no data key, hence locked.
 */
let db: CarnetDb | null = null;
let dataKey: CryptoKey | null = null;
/** Keys derived from decrypted secrets (the journal HMAC key); dropped with the data key. */
const derivedKeys = new Map<string, CryptoKey>();

/**
 * Opens (creating if needed) the store of `userId`. The database name is a hash, so the
 * list of databases of a profile does not say who uses it, and another user gets another store.
 *
 * @param userId the server's user id (UUID).
 */
export async function openStore(userId: string): Promise<void> {
	const name = await storeNameFor(userId);
	if (db?.name === name) return;
	closeStore();
	db = new CarnetDb(name);
	await db.open();
}

/**
 * Opens a store by its database name (offline, after a reload: the name was remembered, the
 * user id is not kept in clear anywhere).
 */
export async function openStoreByName(name: string): Promise<void> {
	if (!/^carnet-[0-9a-f]{32}$/.test(name)) throw new StoreError('no-store');
	if (db?.name === name) return;
	closeStore();
	db = new CarnetDb(name);
	await db.open();
}

/** Name of the open store, if any. */
export function currentStoreName(): string | null {
	return db?.name ?? null;
}

/** `carnet-` and 32 hex characters of SHA-256 over the user id. */
export async function storeNameFor(userId: string): Promise<string> {
	return `carnet-${(await sha256Hex(`carnet-store|${userId}`)).slice(0, 32)}`;
}

/** Forgets the key and closes the database (sign-out, or before opening another user's store). */
export function closeStore(): void {
	forgetDataKey();
	db?.close();
	db = null;
}

export function requireDb(): CarnetDb {
	if (!db) throw new StoreError('no-store');
	return db;
}

export function requireDataKey(): CryptoKey {
	if (!dataKey) throw new StoreError('locked');
	return dataKey;
}

export function isStoreOpen(): boolean {
	return db !== null;
}

export function isUnlocked(): boolean {
	return dataKey !== null;
}

/** Installs the unlocked data key (from the keyring or the quick PIN); the KDF's memory is no longer needed. */
export function installDataKey(key: CryptoKey): void {
	dataKey = key;
	derivedKeys.clear();
	forgetOpenedValues();
	releaseKdfMemory();
}

/** Drops the data key, every key derived from decrypted values and every value opened with it. */
export function forgetDataKey(): void {
	dataKey = null;
	derivedKeys.clear();
	forgetOpenedValues();
}

export function getDerivedKey(name: string): CryptoKey | undefined {
	return derivedKeys.get(name);
}

export function setDerivedKey(name: string, key: CryptoKey): void {
	if (dataKey) derivedKeys.set(name, key);
}

/** Swaps in a fresh instance after the database was deleted. */
export function replaceDb(next: CarnetDb): void {
	forgetOpenedValues();
	db = next;
}
