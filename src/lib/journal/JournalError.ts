/**
 * - `no-secret`: the device has no journal secret yet (it comes with the first pull), so no
 *   entry can be chained; the caller must not show case data before that pull.
 */
export class JournalError extends Error {
	readonly code: JournalErrorCode;

	constructor(code: JournalErrorCode) {
		super(`journal: ${code}`);
		this.name = 'JournalError';
		this.code = code;
	}
}

export type JournalErrorCode = 'no-secret';
