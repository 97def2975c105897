import { z } from 'zod';
import { requireAuditScope } from '../../audit/auditScopeFor';
import { auditStatistics } from '../../audit/auditStatistics';
import { exportAuditExtract } from '../../audit/exportAuditExtract';
import { lastAuditVerification, recordAuditVerification } from '../../audit/recordAuditVerification';
import { auditFiltersSchema, searchAuditEvents } from '../../audit/searchAuditEvents';
import { needProcedure, router } from '../trpc';

/** The DPO's audit screens: search, daily charts, integrity check, extracts. */
export const dpoAuditRouter = router({
	search: needProcedure('audit')
		.input(z.object({ filters: auditFiltersSchema, page: z.number().int().min(1).max(10_000).default(1), pageSize: z.number().int().min(10).max(100).default(25) }))
		.query(async ({ ctx, input }) => {
			const scope = await requireAuditScope(ctx.db, ctx.user);
			return searchAuditEvents(ctx.db, scope, input.filters, { page: input.page, pageSize: input.pageSize });
		}),

	statistics: needProcedure('audit')
		.input(z.object({ filters: auditFiltersSchema }))
		.query(async ({ ctx, input }) => {
			const scope = await requireAuditScope(ctx.db, ctx.user);
			return auditStatistics(ctx.db, scope, input.filters, ctx.now());
		}),

	verify: needProcedure('audit').mutation(async ({ ctx }) => {
		await requireAuditScope(ctx.db, ctx.user);
		return recordAuditVerification(ctx.db, ctx.user.id, ctx.now());
	}),

	lastVerification: needProcedure('audit').query(async ({ ctx }) => {
		await requireAuditScope(ctx.db, ctx.user);
		return lastAuditVerification(ctx.db);
	}),

	export: needProcedure('audit')
		.input(z.object({ filters: auditFiltersSchema, format: z.enum(['csv', 'json']) }))
		.mutation(async ({ ctx, input }) => {
			const scope = await requireAuditScope(ctx.db, ctx.user);
			return exportAuditExtract(ctx.db, scope, { filters: input.filters, format: input.format, actorId: ctx.user.id }, ctx.now());
		})
});
