import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { AppErrorCode } from '../../src/lib/shared/errors';

/** Details that travel to the client in `error.data.details` (no personal data). */
export class AppErrorDetails extends Error {
	constructor(readonly details: Record<string, unknown>) {
		super('details');
	}
}

/** A TRPCError whose message is an application code; the UI turns codes into French sentences. */
export function appError(
	code: TRPC_ERROR_CODE_KEY,
	appCode: AppErrorCode,
	details?: Record<string, unknown>
): TRPCError {
	return new TRPCError({ code, message: appCode, cause: details ? new AppErrorDetails(details) : undefined });
}

/** The one answer to any denial or missing thing: existence never leaks. */
export function notFoundOrNoAccess(): TRPCError {
	return appError('NOT_FOUND', 'not-found-or-no-access');
}
