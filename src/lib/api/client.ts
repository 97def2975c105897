import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '$server/trpc/routers/_app';
import type { AppErrorCode } from '$lib/shared/errors';

/** The one tRPC client of the app: plain JSON over HTTP, same origin, session cookie. */
export const api = createTRPCClient<AppRouter>({
	links: [httpLink({ url: '/trpc' })]
});

export interface ApiErrorInfo {
	appCode: AppErrorCode | 'network';
	httpStatus: number | null;
	issues: { path: string; message: string }[];
	details: Record<string, unknown>;
}

/** Reads the application code out of any error thrown by the client (network errors included). */
export function apiErrorInfo(error: unknown): ApiErrorInfo {
	if (error instanceof TRPCClientError) {
		const data = (error.data ?? {}) as {
			appCode?: AppErrorCode;
			httpStatus?: number;
			issues?: { path: string; message: string }[];
			details?: Record<string, unknown>;
		};
		if (!error.data && !(error.meta as { response?: Response } | undefined)?.response) {
			return { appCode: 'network', httpStatus: null, issues: [], details: {} };
		}
		return {
			appCode: data.appCode ?? 'internal',
			httpStatus: data.httpStatus ?? null,
			issues: data.issues ?? [],
			details: data.details ?? {}
		};
	}
	return { appCode: 'network', httpStatus: null, issues: [], details: {} };
}
