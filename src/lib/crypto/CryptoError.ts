/**
 * Every failure of the crypto module. The message never contains key material or plaintext.
 *
 * - `decrypt-failure`: wrong key, or the ciphertext, IV or additional data was altered or moved.
 * - `unwrap-failure`: the wrapping key does not open the wrapped data key (wrong password or PIN).
 * - `unsupported-envelope`: an envelope version this build does not know.
 * - `invalid-input`: a parameter does not have the documented encoding (e.g. a secret that is not hex).
 */
export class CryptoError extends Error {
	readonly code: CryptoErrorCode;

	constructor(code: CryptoErrorCode, options?: { cause?: unknown }) {
		super(`crypto: ${code}`, options);
		this.name = 'CryptoError';
		this.code = code;
	}
}

export type CryptoErrorCode = 'decrypt-failure' | 'unwrap-failure' | 'unsupported-envelope' | 'invalid-input';
