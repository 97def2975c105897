import { CryptoError } from './CryptoError';

/**
 * The data key: one random AES-256-GCM key per device and user, which encrypts every record.
 * It only ever leaves WebCrypto wrapped (AES-KW, RFC 3394: 40 bytes, with an integrity check, so
 * a wrong wrapping key fails cleanly instead of yielding a wrong data key). Callers only receive
 * non-extractable keys: the extractable form exists for the duration of one call in this file.
 */

const dataKeyAlgorithm = { name: 'AES-GCM', length: 256 } as const;

/**
 * Creates a new data key.
 *
 * @param wrappingKey AES-KW key from `deriveWrappingKey`.
 * @returns `dataKey`, non-extractable, for `encryptRecord`/`decryptRecord`; `wrappedKey`, the
 *   40 bytes to store in the keyring.
 */
export async function createDataKey(
	wrappingKey: CryptoKey
): Promise<{ dataKey: CryptoKey; wrappedKey: Uint8Array<ArrayBuffer> }> {
	const extractable = await crypto.subtle.generateKey(dataKeyAlgorithm, true, ['encrypt', 'decrypt']);
	const wrappedKey = new Uint8Array(await crypto.subtle.wrapKey('raw', extractable, wrappingKey, 'AES-KW'));
	return { dataKey: await unwrapDataKey(wrappedKey, wrappingKey), wrappedKey };
}

/**
 * Opens a wrapped data key.
 *
 * @param wrappedKey the 40 bytes from `createDataKey` or `wrapDataKey`.
 * @param wrappingKey AES-KW key derived from the password (or quick PIN).
 * @returns a non-extractable AES-GCM key. Throws `CryptoError('unwrap-failure')` on a wrong key.
 */
export async function unwrapDataKey(wrappedKey: Uint8Array<ArrayBuffer>, wrappingKey: CryptoKey): Promise<CryptoKey> {
	return unwrap(wrappedKey, wrappingKey, false);
}

/**
 * Re-wraps a data key under another wrapping key, without touching any record: used on a
 * password change and to set up the in-memory quick PIN.
 *
 * @param wrappedKey the data key wrapped under `fromKey` (40 bytes).
 * @param fromKey AES-KW key that currently wraps it; a wrong one throws `CryptoError('unwrap-failure')`.
 * @param toKey AES-KW key to wrap it under.
 * @returns the 40 bytes of the data key wrapped under `toKey`.
 */
export async function wrapDataKey(
	wrappedKey: Uint8Array<ArrayBuffer>,
	fromKey: CryptoKey,
	toKey: CryptoKey
): Promise<Uint8Array<ArrayBuffer>> {
	const extractable = await unwrap(wrappedKey, fromKey, true);
	return new Uint8Array(await crypto.subtle.wrapKey('raw', extractable, toKey, 'AES-KW'));
}

async function unwrap(wrappedKey: Uint8Array<ArrayBuffer>, wrappingKey: CryptoKey, extractable: boolean) {
	try {
		return await crypto.subtle.unwrapKey('raw', wrappedKey, wrappingKey, 'AES-KW', dataKeyAlgorithm, extractable, [
			'encrypt',
			'decrypt'
		]);
	} catch (cause) {
		throw new CryptoError('unwrap-failure', { cause });
	}
}
