/** Why a sync run stopped. The UI turns the code into French (src/lib/i18n/sync.ts). */
export class SyncError extends Error {
	constructor(
		readonly code: SyncErrorCode,
		readonly cause?: unknown
	) {
		super(`sync: ${code}`);
		this.name = 'SyncError';
	}
}

export type SyncErrorCode =
	/** No network, or the server did not answer. */
	| 'network'
	/** The session expired: an online sign-in is needed. */
	| 'unauthenticated'
	/** The server refused or failed (5xx); retried with backoff. */
	| 'server'
	/** The device was revoked or the account disabled: the store was wiped. */
	| 'wiped'
	/** The store is locked: nothing can be read or written. */
	| 'locked'
	/** The device ran out of storage. */
	| 'quota'
	/** Another tab kept writing the same records: nothing lost, retried with backoff. */
	| 'busy';
