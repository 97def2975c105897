/**
 * Every failure of the device store, by code. The UI turns codes into French sentences.
 *
 * - `quota`: the browser refused to store more (QuotaExceededError); the write was rolled back
 *   and nothing stored before it was lost.
 * - `locked`: the data key is not in memory (locked, or not yet unlocked).
 * - `no-store`: `openStore` was not called (no signed-in user on this tab).
 * - `no-keyring`: no wrapped key on this device yet (first sign-in must happen online).
 * - `keyring-exists`: `createKeyring` on a device that already has one.
 * - `wrong-password`: the password (or PIN) does not open the wrapped key.
 * - `conflict`: notes kept changing under a write (another tab writing the same notes); nothing
 *   was written, try again.
 */
export class StoreError extends Error {
	readonly code: StoreErrorCode;

	constructor(code: StoreErrorCode, options?: { cause?: unknown }) {
		super(`store: ${code}`, options);
		this.name = 'StoreError';
		this.code = code;
	}
}

export type StoreErrorCode = 'quota' | 'locked' | 'no-store' | 'no-keyring' | 'keyring-exists' | 'wrong-password' | 'conflict';
