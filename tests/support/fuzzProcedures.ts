import { TRPCError } from '@trpc/server';
import type { Need } from '../../server/policy/needs';
import { appRouter } from '../../server/trpc/routers/_app';

/**
 * Every procedure of the router, read at run time from `appRouter._def.procedures`, so that a
 * procedure added later is fuzzed without anyone listing it here.
 */
export interface ProcedureInfo {
	path: string;
	type: 'query' | 'mutation' | 'subscription';
	need: Need | undefined;
	/** The zod input schemas (`procedure._def.inputs`); empty for a procedure without input. */
	inputs: unknown[];
}

export function listProcedures(): ProcedureInfo[] {
	const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureInfo['type']; meta?: { need?: Need }; inputs: unknown[] } }>;
	return Object.entries(procedures).map(([path, p]) => ({ path, type: p._def.type, need: p._def.meta?.need, inputs: p._def.inputs ?? [] }));
}

/** Calls `path` on a tRPC caller (the proxy of createCaller). */
export function callProcedure(caller: unknown, path: string, input: unknown): Promise<unknown> {
	const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
	return fn(input);
}

export type CallOutcome =
	| { ok: true; data: unknown }
	| { ok: false; code: string; message: string; details: unknown; error: TRPCError };

/** The outcome of a call; anything thrown that is not a TRPCError is rethrown (a crash, not an answer). */
export async function outcomeOf(run: () => Promise<unknown>): Promise<CallOutcome> {
	try {
		return { ok: true, data: await run() };
	} catch (error) {
		if (!(error instanceof TRPCError)) throw error;
		const cause = error.cause as { details?: unknown } | undefined;
		return { ok: false, code: error.code, message: error.message, details: cause?.details, error };
	}
}

/** The error codes of a refusal the client caused: anything else (INTERNAL_SERVER_ERROR above all) is a server bug. */
export const clientErrorCodes = ['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'TOO_MANY_REQUESTS', 'PAYLOAD_TOO_LARGE', 'PRECONDITION_FAILED', 'UNPROCESSABLE_CONTENT'] as const;
