/**
 * Parameters of the password-based key derivation. They are stored next to the wrapped data
 * key (with the salt), so a later build can raise them: the next password change re-wraps the
 * key with the new parameters, and old keyrings keep opening with their own.
 */
export type KdfParams = Argon2idParams | Pbkdf2Params;

export type Argon2idParams = {
	algorithm: 'argon2id';
	/** Memory in KiB. */
	memoryKiB: number;
	/** Passes over memory (argon2 "t"). */
	iterations: number;
	/** Lanes (argon2 "p"); 1, since the WebAssembly runs on one thread anyway. */
	parallelism: number;
};

export type Pbkdf2Params = {
	algorithm: 'pbkdf2-sha256';
	iterations: number;
};

/**
 * Shipped argon2id parameters: 64 MiB, 3 passes, 1 lane. About 0.28 s in desktop headless
 * Chromium here and 1.2 s at 4x CPU throttling (a mid-range tablet's stand-in), once the memory
 * is committed on the unlock screen (`prepareKdf`; BENCHMARKS.md, sixth round).
 * Above OWASP's minimum (19 MiB, t=2) while staying under the memory a tablet browser tab allows.
 */
export const DEFAULT_KDF_PARAMS: Argon2idParams = Object.freeze({
	algorithm: 'argon2id',
	memoryKiB: 65_536,
	iterations: 3,
	parallelism: 1
});

/** Only when WebAssembly is unavailable (e.g. blocked by a policy): OWASP 2023 figure for PBKDF2-SHA256. */
export const FALLBACK_KDF_PARAMS: Pbkdf2Params = Object.freeze({
	algorithm: 'pbkdf2-sha256',
	iterations: 600_000
});

/** The parameters a new keyring gets on this browser: argon2id when WebAssembly runs, else PBKDF2. */
export function chooseKdfParams(): KdfParams {
	return typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function'
		? DEFAULT_KDF_PARAMS
		: FALLBACK_KDF_PARAMS;
}

/** Bytes of salt generated per keyring. */
export const KDF_SALT_BYTES = 16;
