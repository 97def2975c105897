import { CryptoError } from './CryptoError';
import { utf8Bytes } from './encoding';
import type { KdfParams } from './kdfParams';

/**
 * argon2id (WebAssembly) is loaded on first use or by this call, not with the unlock screen: the
 * app calls it while the unlock screen waits for the password (`device.prefetch`).
 */
export function loadArgon2() {
	return import('./argon2');
}

/**
 * Derives the key that wraps the data key, from a secret the user types.
 *
 * @param password the account password or quick PIN, as typed (JavaScript string, hashed as UTF-8).
 * @param salt random bytes stored with the keyring (16 bytes, see `KDF_SALT_BYTES`).
 * @param params stored KDF parameters (`DEFAULT_KDF_PARAMS` for new keyrings; tests may pass
 *   lighter ones to stay fast).
 * @returns a non-extractable AES-KW 256-bit key, usable only for `wrapKey`/`unwrapKey`.
 * @throws `CryptoError('invalid-input')` for an empty password.
 */
export async function deriveWrappingKey(
	password: string,
	salt: Uint8Array<ArrayBuffer>,
	params: KdfParams
): Promise<CryptoKey> {
	if (password.length === 0) throw new CryptoError('invalid-input');
	if (params.algorithm === 'argon2id') {
		const { argon2id } = await loadArgon2();
		const derived = await argon2id({
			password: utf8Bytes(password),
			salt,
			memorySize: params.memoryKiB,
			iterations: params.iterations,
			parallelism: params.parallelism,
			hashLength: 32,
			outputType: 'binary'
		});
		const raw = new Uint8Array(derived);
		derived.fill(0);
		try {
			return await crypto.subtle.importKey('raw', raw, 'AES-KW', false, ['wrapKey', 'unwrapKey']);
		} finally {
			raw.fill(0);
		}
	}
	const base = await crypto.subtle.importKey('raw', utf8Bytes(password), 'PBKDF2', false, ['deriveKey']);
	return crypto.subtle.deriveKey(
		{ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: params.iterations },
		base,
		{ name: 'AES-KW', length: 256 },
		false,
		['wrapKey', 'unwrapKey']
	);
}
