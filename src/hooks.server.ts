import type { Handle, ResolveOptions, ServerInit } from '@sveltejs/kit';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { sql } from 'drizzle-orm';
import { getRuntime } from '$server/runtime';
import { ConfigError } from '$server/config';
import { appRouter } from '$server/trpc/routers/_app';
import { SESSION_COOKIE, validateSessionToken } from '$server/auth/session';
import { authPolicyFromConfig } from '$server/auth/policyFromConfig';
import { log } from '$server/log';
import { securityHeaders } from '$server/http/securityHeaders';
import { requestContext } from '$server/http/requestContext';

export const init: ServerInit = async () => {
	try {
		await getRuntime();
	} catch (error) {
		if (error instanceof ConfigError) {
			console.error(`Carnet ne peut pas démarrer. ${error.message}`);
			process.exit(1);
		}
		throw error;
	}
};

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const handle: Handle = async ({ event, resolve }) => {
	const { config, database } = await getRuntime();
	const { url, request } = event;
	const secure = url.protocol === 'https:';

	if (url.pathname === '/healthz') {
		return healthz(database.db, database.kind);
	}

	// CSRF: a browser always sends Origin on a state-changing fetch; one from another site is refused.
	const origin = request.headers.get('origin');
	if (STATE_CHANGING.has(request.method) && origin !== null && origin !== url.origin) {
		return withHeaders(
			Response.json({ error: { message: 'origin-mismatch', data: { appCode: 'origin-mismatch', httpStatus: 403 } } }, { status: 403 }),
			secure
		);
	}

	const token = event.cookies.get(SESSION_COOKIE) ?? null;
	const now = new Date();
	const { session, user } = token
		? await validateSessionToken(database.db, token, now, authPolicyFromConfig(config).session)
		: { session: null, user: null };
	event.locals.user = user;
	event.locals.sessionId = session?.id ?? null;
	if (token && !session) {
		event.cookies.delete(SESSION_COOKIE, { path: '/', secure });
	}

	if (url.pathname.startsWith('/trpc')) {
		const response = await fetchRequestHandler({
			endpoint: '/trpc',
			req: request,
			router: appRouter,
			createContext: ({ resHeaders }) => requestContext(event, { config, database }, resHeaders),
			onError({ error, path }) {
				if (error.code === 'INTERNAL_SERVER_ERROR') {
					log('error', 'trpc.internal', { path, message: error.message });
				}
			}
		});
		const headers = new Headers(response.headers);
		headers.set('Cache-Control', 'no-store');
		return withHeaders(new Response(response.body, { status: response.status, headers }), secure);
	}

	const response = await resolve(event, { preload: event.route.id === '/shell' ? shellPreload : undefined });
	return withHeaders(response, secure);
};

/**
 * The offline shell (every app start once the service worker is installed) has no
 * `<link rel="modulepreload">`: on a slow device each is a request the parser sets up before
 * `<body>` exists, so before the early unlock form can be shown (BENCHMARKS.md, ninth round). Its
 * stylesheet stays (it draws that form); the modules load from the start script, out of the
 * service worker's cache. Other pages keep SvelteKit's default (a first visit, over the network).
 */
const shellPreload: ResolveOptions['preload'] = ({ type }) => type === 'css' || type === 'font';

async function healthz(db: import('$server/db/client').Database, kind: string): Promise<Response> {
	try {
		await db.execute(sql`select 1`);
		return Response.json({ status: 'ok', database: { kind, status: 'up' } }, { headers: { 'Cache-Control': 'no-store' } });
	} catch {
		return Response.json({ status: 'unavailable', database: { kind, status: 'down' } }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
	}
}

function withHeaders(response: Response, secure: boolean): Response {
	for (const [name, value] of Object.entries(securityHeaders(secure))) {
		if (!response.headers.has(name)) {
			try {
				response.headers.set(name, value);
			} catch {
				// immutable headers (e.g. a fetched Response): rebuild
				const headers = new Headers(response.headers);
				for (const [n, v] of Object.entries(securityHeaders(secure))) if (!headers.has(n)) headers.set(n, v);
				return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
			}
		}
	}
	return response;
}
