import { initTRPC } from '@trpc/server';
import type { Context } from './context';
import { AppErrorDetails, appError } from './appError';
import { satisfiesNeed, type Need } from '../policy/needs';
import type { SessionUser } from '../auth/session';
import { hasUnstorableText } from './unstorableText';

export interface ProcedureMeta {
	/** What the procedure needs; procedures without one are refused (deny by default). */
	need?: Need;
}

const t = initTRPC
	.context<Context>()
	.meta<ProcedureMeta>()
	.create({
		errorFormatter({ shape, error }) {
			const cause = error.cause as unknown;
			const issues =
				error.code === 'BAD_REQUEST' && cause && typeof cause === 'object' && 'issues' in cause
					? (cause as { issues: { path?: PropertyKey[]; message: string }[] }).issues.map((issue) => ({
							path: (issue.path ?? []).map((p) => (typeof p === 'object' && p && 'key' in p ? String((p as { key: unknown }).key) : String(p))).join('.'),
							message: issue.message
						}))
					: undefined;
			const appCode = issues
				? 'invalid-input'
				: error.code === 'INTERNAL_SERVER_ERROR'
					? 'internal'
					: /^[a-z][a-z-]+$/.test(error.message)
						? error.message
						: undefined;
			return {
				...shape,
				// Internal errors never carry their message (it could hold SQL or personal data).
				message: error.code === 'INTERNAL_SERVER_ERROR' ? 'internal' : shape.message,
				data: {
					code: shape.data.code,
					httpStatus: shape.data.httpStatus,
					path: shape.data.path,
					appCode,
					issues,
					details: cause instanceof AppErrorDetails ? cause.details : undefined
				}
			};
		}
	});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const enforceNeed = t.middleware(({ ctx, meta, next }) => {
	const need = meta?.need;
	if (!need) throw appError('FORBIDDEN', 'forbidden');
	if (need === 'public') return next();
	if (!ctx.user) throw appError('UNAUTHORIZED', 'unauthenticated');
	if (!satisfiesNeed(need, ctx.user)) {
		if (ctx.user.mustChangePassword) throw appError('FORBIDDEN', 'password-change-required');
		throw appError('FORBIDDEN', 'forbidden');
	}
	return next({ ctx: { ...ctx, user: ctx.user as SessionUser } });
});

/** NUL and lone surrogates would only fail later, in a query, as an internal error. */
const refuseUnstorableText = t.middleware(async ({ getRawInput, next }) => {
	if (hasUnstorableText(await getRawInput())) throw appError('BAD_REQUEST', 'invalid-input');
	return next();
});

/** The base of every procedure: declares its need, and the middleware enforces it. */
export function needProcedure(need: Need) {
	return t.procedure.meta({ need }).use(enforceNeed).use(refuseUnstorableText).use(({ ctx, next }) =>
		next({ ctx: { ...ctx, user: ctx.user as SessionUser } })
	);
}

export const publicProcedure = t.procedure.meta({ need: 'public' }).use(enforceNeed).use(refuseUnstorableText);
/** Signed in, even with a password change pending. */
export const sessionProcedure = needProcedure('session');
/** Signed in, password up to date. */
export const authedProcedure = needProcedure('signed-in');
