import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { cases } from '../../db/schema';
import { limits } from '../../../src/lib/shared/domain';
import { requireAuditScope } from '../../audit/auditScopeFor';
import { appendAuditEvent } from '../../audit/appendAuditEvent';
import { listArchivedCases, readArchivedCase } from '../../retention/readArchivedCase';
import { retentionForecast } from '../../retention/retentionForecast';
import { retentionRules } from '../../retention/retentionRules';
import { runRetention } from '../../retention/runRetention';
import { needProcedure, router } from '../trpc';

/** The DPO's retention dashboard: what is coming, a dry run, the archive and its reading. */
export const dpoRetentionRouter = router({
	rules: needProcedure('audit').query(({ ctx }) => ({ rules: retentionRules, auditRetentionDays: ctx.config.AUDIT_RETENTION_DAYS })),

	forecast: needProcedure('audit')
		.input(z.object({ horizonDays: z.union([z.literal(30), z.literal(90)]) }))
		.query(async ({ ctx, input }) => {
			const scope = await requireAuditScope(ctx.db, ctx.user);
			return retentionForecast(ctx.db, scope.organisationId, ctx.now(), input.horizonDays);
		}),

	/** What a run would do now, for the whole installation (the job is not per organisation); writes only its audit event. */
	dryRun: needProcedure('audit').mutation(async ({ ctx }) => {
		const scope = await requireAuditScope(ctx.db, ctx.user);
		const now = ctx.now();
		const report = await runRetention(ctx.db, { now, dryRun: true, auditRetentionDays: ctx.config.AUDIT_RETENTION_DAYS, trigger: 'dpo', actorId: ctx.user.id });
		const own = await ownCaseIds(ctx.db, scope.organisationId);
		await appendAuditEvent(ctx.db, { action: 'retention.dry-run', actorId: ctx.user.id, details: { archive: report.archived.length, destroy: report.destroyed.length, auditPurgeable: report.audit.purged } }, now);
		// Only the organisation's own cases are named to its DPO; the others are counted.
		return {
			...report,
			archived: report.archived.filter((c) => own.has(c.caseId)),
			destroyed: report.destroyed.filter((c) => own.has(c.caseId)),
			otherOrganisations: report.archived.filter((c) => !own.has(c.caseId)).length + report.destroyed.filter((c) => !own.has(c.caseId)).length
		};
	}),

	archivedCases: needProcedure('audit').query(async ({ ctx }) => {
		const scope = await requireAuditScope(ctx.db, ctx.user);
		return listArchivedCases(ctx.db, scope.organisationId);
	}),

	readArchivedCase: needProcedure('audit')
		.input(z.object({ caseId: z.uuid(), reason: z.string().trim().min(3).max(limits.reasonMaxChars) }))
		.mutation(({ ctx, input }) => readArchivedCase(ctx.db, ctx.user, input, ctx.now()))
});

async function ownCaseIds(db: Database, organisationId: string): Promise<Set<string>> {
	const rows = await db.select({ id: cases.id }).from(cases).where(eq(cases.organisationId, organisationId));
	return new Set(rows.map((r) => r.id));
}
