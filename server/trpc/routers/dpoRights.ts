import { z } from 'zod';
import { limits } from '../../../src/lib/shared/domain';
import { requireAuditScope } from '../../audit/auditScopeFor';
import { erasePersonData } from '../../rights/erasePersonData';
import { erasureExceptions, erasureGrounds } from '../../rights/erasureExceptions';
import { exportPersonData } from '../../rights/exportPersonData';
import { findPersons } from '../../rights/findPersons';
import { limitPersonProcessing } from '../../rights/limitPersonProcessing';
import { personCorrectionSchema, rectifyPerson } from '../../rights/rectifyPerson';
import { closeRightsRequest, extendRightsRequest, listRightsRequests, newRightsRequestSchema, registerRightsRequest } from '../../rights/rightsRequests';
import { needProcedure, router } from '../trpc';

const reason = z.string().trim().min(3).max(limits.reasonMaxChars);
const requestId = z.uuid().nullable().default(null);

/** Rights of the persons concerned (référentiel section 9): requests, exports, limitation, rectification, erasure. */
export const dpoRightsRouter = router({
	list: needProcedure('audit').query(async ({ ctx }) => {
		const scope = await requireAuditScope(ctx.db, ctx.user);
		return { requests: await listRightsRequests(ctx.db, scope.organisationId, ctx.now()), erasureExceptions, erasureGrounds };
	}),

	register: needProcedure('audit')
		.input(newRightsRequestSchema)
		.mutation(async ({ ctx, input }) => {
			const scope = await requireAuditScope(ctx.db, ctx.user);
			return registerRightsRequest(ctx.db, { id: ctx.user.id, organisationId: scope.organisationId }, input, ctx.now());
		}),

	extend: needProcedure('audit')
		.input(z.object({ id: z.uuid(), reason }))
		.mutation(async ({ ctx, input }) => {
			const scope = await requireAuditScope(ctx.db, ctx.user);
			return extendRightsRequest(ctx.db, { id: ctx.user.id, organisationId: scope.organisationId }, input, ctx.now());
		}),

	close: needProcedure('audit')
		.input(z.object({ id: z.uuid(), status: z.enum(['done', 'refused']), outcome: z.string().trim().min(3).max(limits.reasonMaxChars) }))
		.mutation(async ({ ctx, input }) => {
			const scope = await requireAuditScope(ctx.db, ctx.user);
			return closeRightsRequest(ctx.db, { id: ctx.user.id, organisationId: scope.organisationId }, input, ctx.now());
		}),

	findPersons: needProcedure('audit')
		.input(z.object({ query: z.string().trim().min(2).max(100) }))
		.query(async ({ ctx, input }) => {
			const scope = await requireAuditScope(ctx.db, ctx.user);
			return findPersons(ctx.db, { id: ctx.user.id, organisationId: scope.organisationId }, input.query, ctx.now());
		}),

	exportPerson: needProcedure('audit')
		.input(z.object({ personId: z.uuid(), purpose: z.enum(['access', 'portability']), requestId }))
		.mutation(({ ctx, input }) => exportPersonData(ctx.db, ctx.user, input, ctx.now())),

	limit: needProcedure('audit')
		.input(z.object({ personId: z.uuid(), frozen: z.boolean(), reason, requestId }))
		.mutation(({ ctx, input }) => limitPersonProcessing(ctx.db, ctx.user, input, ctx.now())),

	rectify: needProcedure('audit')
		.input(z.object({ personId: z.uuid(), changes: personCorrectionSchema, reason, requestId }))
		.mutation(({ ctx, input }) => rectifyPerson(ctx.db, ctx.user, input, ctx.now())),

	erase: needProcedure('audit')
		.input(z.object({ personId: z.uuid(), scope: z.enum(['person', 'case']), ground: z.enum(erasureGrounds), confirmNoException: z.boolean(), requestId }))
		.mutation(({ ctx, input }) => erasePersonData(ctx.db, ctx.user, input, ctx.now()))
});
