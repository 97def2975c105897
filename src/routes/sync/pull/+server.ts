import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import type { RequestHandler } from './$types';
import { getRuntime } from '$server/runtime';
import { requestContext } from '$server/http/requestContext';
import { log } from '$server/log';
import { framePullOutput } from '$server/sync/toWireRecords';
import { appRouter } from '$server/trpc/routers/_app';
import { encodePullFrame, PULL_FRAME_TYPE } from '$lib/shared/pullFrame';
import type { PullInput } from '$lib/shared/sync';

/**
 * sync.pull answered as a binary frame (src/lib/shared/pullFrame.ts), which is how the device's
 * sync engine asks for its pages. This is a transport, not a second implementation: the request
 * goes through the sync.pull procedure itself (session, need, input check, need-to-know, audit,
 * cursor: server/trpc/routers/sync.ts), as the same caller, and its errors come back in the
 * very shape /trpc gives them (the router's error formatter), with the same HTTP status. The
 * origin check and the session are src/hooks.server.ts's, as for /trpc.
 */
export const POST: RequestHandler = async (event) => {
	const runtime = await getRuntime();
	const ctx = requestContext(event, runtime, null);
	let input: unknown;
	try {
		input = await event.request.json();
	} catch (cause) {
		return errorResponse(new TRPCError({ code: 'PARSE_ERROR', message: 'invalid-input', cause }), undefined, ctx);
	}
	try {
		// The object form (not `packed`): the procedure checks each record against the wire schema;
		// the frame then carries each record's JSON as bytes.
		const output = await appRouter.createCaller(ctx).sync.pull({ ...(input as PullInput), packed: false });
		return new Response(encodePullFrame(framePullOutput(output)), {
			headers: { 'Content-Type': PULL_FRAME_TYPE, 'Cache-Control': 'no-store' }
		});
	} catch (error) {
		if (!(error instanceof TRPCError)) throw error;
		if (error.code === 'INTERNAL_SERVER_ERROR') log('error', 'trpc.internal', { path: 'sync.pull', message: error.message });
		return errorResponse(error, input, ctx);
	}
};

function errorResponse(error: TRPCError, input: unknown, ctx: ReturnType<typeof requestContext>): Response {
	const shape = getErrorShape({ config: appRouter._def._config, error, type: 'mutation', path: 'sync.pull', input, ctx });
	return Response.json({ error: shape }, { status: getHTTPStatusCodeFromError(error), headers: { 'Cache-Control': 'no-store' } });
}
