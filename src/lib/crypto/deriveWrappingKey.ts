import { CryptoError } from './CryptoError';
import { utf8Bytes } from './encoding';
import type { KdfParams } from './kdfParams';

let argon2: typeof import('./argon2') | null = null;

/**
 * argon2id (WebAssembly) is loaded on first use or by this call, not with the unlock screen: the
 * app calls it while the unlock screen waits for the password (`device.prefetch`).
 */
export async function loadArgon2() {
	argon2 = await import('./argon2');
	return argon2;
}

/**
 * While the unlock screen waits for the password: loads argon2id and commits the memory a
 * derivation with `params` will use, so that pressing "Déverrouiller" costs the passes only.
 * The memory is held until `releaseKdfMemory` (the app calls it once unlocked).
 */
export async function prepareKdf(params: KdfParams): Promise<void> {
	if (params.algorithm !== 'argon2id') return;
	await (await loadArgon2()).prepare(params.memoryKiB);
}

/** Lets the KDF's memory (64 MiB with the shipped parameters) be reclaimed. No-op if argon2id never loaded. */
export function releaseKdfMemory(): void {
	argon2?.release();
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
		const raw = await argon2id({
			password: utf8Bytes(password),
			salt,
			memoryKiB: params.memoryKiB,
			iterations: params.iterations,
			parallelism: params.parallelism
		});
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
