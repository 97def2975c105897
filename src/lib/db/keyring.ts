import {
	KDF_SALT_BYTES,
	chooseKdfParams,
	createDataKey,
	deriveWrappingKey,
	prepareKdf,
	randomBytes,
	releaseKdfMemory,
	unwrapDataKey,
	wrapDataKey,
	CryptoError,
	type KdfParams
} from '$lib/crypto';
import type { KeyringRow } from './CarnetDb';
import { StoreError } from './StoreError';
import { forgetDataKey, installDataKey, isUnlocked, requireDb } from './session';
import { guardWrite } from './writeGuard';

/**
 * The keyring: one row with the data key wrapped under a password-derived key, the salt and the
 * KDF parameters used. Opening it puts the data key in memory (non-extractable); nothing else.
 */

/** Whether this device already has a keyring for the open store. */
export async function hasKeyring(): Promise<boolean> {
	return (await requireDb().keyring.get('current')) !== undefined;
}

/**
 * First sign-in on this device: creates the data key, wraps it, stores it, and leaves the store unlocked.
 *
 * @param password the account password, just checked by the server.
 * @param options.kdfParams defaults to `chooseKdfParams()`; tests pass lighter parameters.
 */
export async function createKeyring(password: string, options: { kdfParams?: KdfParams } = {}): Promise<void> {
	const db = requireDb();
	if (await hasKeyring()) throw new StoreError('keyring-exists');
	const kdf = options.kdfParams ?? chooseKdfParams();
	const salt = randomBytes(KDF_SALT_BYTES);
	const { dataKey, wrappedKey } = await createDataKey(await deriveWrappingKey(password, salt, kdf));
	const row: KeyringRow = { id: 'current', wrappedKey, salt, kdf, wrappedAt: new Date().toISOString() };
	await guardWrite(() =>
		db.transaction('rw', [db.keyring], async () => {
			if (await db.keyring.get('current')) throw new StoreError('keyring-exists');
			await db.keyring.add(row);
		})
	);
	installDataKey(dataKey);
}

/**
 * While the unlock screen waits for the password: loads the KDF and commits its memory for this
 * keyring's parameters (see `prepareKdf`). Does nothing without a keyring, or once unlocked (a
 * preparation scheduled at idle time may come after a quick unlock).
 */
export async function prepareUnlock(): Promise<void> {
	const row = await requireDb().keyring.get('current');
	if (row && !isUnlocked()) await prepareKdf(row.kdf);
}

/**
 * Unlocks with the account password. Either the data key is installed, or nothing changes and
 * `StoreError('wrong-password')` is thrown: there is no half-unlocked state.
 *
 * @param options.rewrapUnder an AES-KW key (from the quick PIN); when given, the data key is also
 *   returned wrapped under it, for the lock to keep in memory.
 */
export async function unlockKeyring(
	password: string,
	options: { rewrapUnder?: CryptoKey } = {}
): Promise<{ rewrapped: Uint8Array<ArrayBuffer> | null }> {
	const row = await readKeyring();
	if (password.length === 0) throw new StoreError('wrong-password');
	const wrappingKey = await deriveWrappingKey(password, row.salt, row.kdf);
	const dataKey = await mapWrongPassword(unwrapDataKey(row.wrappedKey, wrappingKey));
	const rewrapped = options.rewrapUnder ? await wrapDataKey(row.wrappedKey, wrappingKey, options.rewrapUnder) : null;
	installDataKey(dataKey);
	return { rewrapped };
}

/**
 * Unlocks from a data key wrapped under another key (the quick PIN's in-memory copy).
 * Throws `StoreError('wrong-password')` if `wrappingKey` does not open it.
 */
export async function unlockWithWrappedKey(wrappedKey: Uint8Array<ArrayBuffer>, wrappingKey: CryptoKey): Promise<void> {
	installDataKey(await mapWrongPassword(unwrapDataKey(wrappedKey, wrappingKey)));
}

/**
 * Password change: re-wraps the same data key under the new password (new salt, current
 * parameters). No record is re-encrypted. Throws `StoreError('wrong-password')` if `oldPassword` is wrong.
 */
export async function rewrapKeyring(
	oldPassword: string,
	newPassword: string,
	options: { kdfParams?: KdfParams } = {}
): Promise<void> {
	const db = requireDb();
	const row = await readKeyring();
	const oldKey = await deriveWrappingKey(oldPassword, row.salt, row.kdf);
	const kdf = options.kdfParams ?? chooseKdfParams();
	const salt = randomBytes(KDF_SALT_BYTES);
	const newKey = await deriveWrappingKey(newPassword, salt, kdf);
	releaseKdfMemory();
	const wrappedKey = await mapWrongPassword(wrapDataKey(row.wrappedKey, oldKey, newKey));
	const next: KeyringRow = { id: 'current', wrappedKey, salt, kdf, wrappedAt: new Date().toISOString() };
	await guardWrite(() => db.transaction('rw', [db.keyring], () => db.keyring.put(next)));
}

/** Drops the data key from memory. The lock calls this; nothing on disk changes. */
export function lockKeyring(): void {
	forgetDataKey();
}

async function readKeyring(): Promise<KeyringRow> {
	const row = await requireDb().keyring.get('current');
	if (!row) throw new StoreError('no-keyring');
	return row;
}

async function mapWrongPassword<T>(attempt: Promise<T>): Promise<T> {
	try {
		return await attempt;
	} catch (error) {
		if (error instanceof CryptoError && error.code === 'unwrap-failure') {
			throw new StoreError('wrong-password', { cause: error });
		}
		throw error;
	}
}
