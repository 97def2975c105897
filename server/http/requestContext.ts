import type { RequestEvent } from '@sveltejs/kit';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { Context } from '../trpc/context';

/**
 * The tRPC context of an HTTP request, once src/hooks.server.ts has read its session into
 * `locals`: for /trpc and for the routes that call a procedure themselves (POST /sync/pull).
 */
export function requestContext(event: RequestEvent, runtime: { config: Config; database: { db: Database } }, resHeaders: Headers | null): Context {
	return {
		db: runtime.database.db,
		config: runtime.config,
		now: () => new Date(),
		user: event.locals.user,
		sessionId: event.locals.sessionId,
		clientAddress: safeClientAddress(event.getClientAddress),
		secure: event.url.protocol === 'https:',
		resHeaders
	};
}

function safeClientAddress(get: () => string): string {
	try {
		return get();
	} catch {
		return 'unknown';
	}
}
