import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { appendAuditEvent } from '../../audit/appendAuditEvent';
import { changePassword } from '../../auth/changePassword';
import { loginWithPassword } from '../../auth/login';
import { authPolicyFromConfig } from '../../auth/policyFromConfig';
import { blankSessionCookieHeader, invalidateSession, sessionCookieHeader } from '../../auth/session';
import { organisations, teams, users } from '../../db/schema';
import { appError } from '../appError';
import { publicProcedure, router, sessionProcedure } from '../trpc';

export const authRouter = router({
	login: publicProcedure
		.input(z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(256) }))
		.mutation(async ({ ctx, input }) => {
			const result = await loginWithPassword(
				ctx.db,
				{ ...input, address: ctx.clientAddress },
				ctx.now(),
				authPolicyFromConfig(ctx.config)
			);
			if (!result.ok) {
				if (result.code === 'throttled') {
					throw appError('TOO_MANY_REQUESTS', 'login-throttled', { retryAfterSeconds: result.retryAfterSeconds });
				}
				throw appError('UNAUTHORIZED', 'invalid-credentials');
			}
			ctx.resHeaders?.append('Set-Cookie', sessionCookieHeader(result.token, result.session.expiresAt, ctx.secure));
			return { userId: result.userId, mustChangePassword: result.mustChangePassword };
		}),

	logout: sessionProcedure.mutation(async ({ ctx }) => {
		if (ctx.sessionId) await invalidateSession(ctx.db, ctx.sessionId);
		await appendAuditEvent(ctx.db, { action: 'auth.logout', actorId: ctx.user.id }, ctx.now());
		ctx.resHeaders?.append('Set-Cookie', blankSessionCookieHeader(ctx.secure));
		return { ok: true as const };
	}),

	me: sessionProcedure.query(async ({ ctx }) => {
		const [row] = await ctx.db
			.select({
				organisationName: organisations.name,
				lockTimeoutSeconds: organisations.lockTimeoutSeconds,
				maxOfflineDays: organisations.maxOfflineDays,
				teamName: teams.name
			})
			.from(users)
			.innerJoin(organisations, eq(users.organisationId, organisations.id))
			.leftJoin(teams, eq(users.teamId, teams.id))
			.where(eq(users.id, ctx.user.id));
		return {
			id: ctx.user.id,
			username: ctx.user.username,
			displayName: ctx.user.displayName,
			role: ctx.user.role,
			profession: ctx.user.profession,
			mustChangePassword: ctx.user.mustChangePassword,
			habilitations: ctx.user.habilitations,
			organisationName: row?.organisationName ?? null,
			teamName: row?.teamName ?? null,
			policy: {
				lockTimeoutSeconds: row?.lockTimeoutSeconds ?? 300,
				maxOfflineDays: row?.maxOfflineDays ?? 7
			}
		};
	}),

	changePassword: sessionProcedure
		.input(z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }))
		.mutation(async ({ ctx, input }) => {
			const result = await changePassword(
				ctx.db,
				{ userId: ctx.user.id, ...input },
				ctx.now(),
				authPolicyFromConfig(ctx.config)
			);
			if (!result.ok) {
				if (result.code === 'password-too-weak') {
					throw appError('BAD_REQUEST', 'password-too-weak', { reasons: result.reasons });
				}
				if (result.code === 'password-reused') throw appError('BAD_REQUEST', 'password-reused');
				throw appError('UNAUTHORIZED', 'invalid-credentials');
			}
			ctx.resHeaders?.append('Set-Cookie', sessionCookieHeader(result.token, result.session.expiresAt, ctx.secure));
			return { ok: true as const };
		})
});
