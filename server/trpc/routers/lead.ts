import { z } from 'zod';
import { assignmentRoles, limits, noteKinds } from '../../../src/lib/shared/domain';
import { requireActiveSubject } from '../../policy/requireActiveSubject';
import { assignWorker, endAssignment } from '../../lead/assignWorker';
import { createDelegation, listTeamDelegations, revokeDelegation } from '../../lead/delegations';
import { listEmergencyGrantsForLead, revokeEmergencyGrant } from '../../lead/emergencyGrants';
import { listColleagues } from '../../lead/listColleagues';
import { listReviewQueue } from '../../lead/listReviewQueue';
import { readNoteForReview } from '../../lead/readNoteForReview';
import { reviewNote } from '../../lead/reviewNote';
import { teamOverview } from '../../lead/teamOverview';
import { needProcedure, router } from '../trpc';

/** Team leads, online: review, team view, assignments, suppléances, emergency grants (DESIGN.md, "Roles"). */
const leadProcedure = needProcedure('review').use(async ({ ctx, next }) =>
	next({ ctx: { ...ctx, lead: await requireActiveSubject(ctx.db, ctx.user, ['lead']) } })
);

const isoDateTime = z.iso.datetime({ offset: true });

/** `nextBefore` of the previous page: a real instant and a note id (the pattern alone let `9999-99-99T9Z|----…` through to the query). */
const reviewCursor = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|[0-9a-f-]{36}$/)
	.refine((cursor) => {
		const [at, id] = cursor.split('|');
		return !Number.isNaN(Date.parse(at)) && z.uuid().safeParse(id).success;
	}, 'invalid cursor');

export const leadRouter = router({
	reviewQueue: leadProcedure
		.input(
			z.object({
				status: z.enum(['submitted', 'reviewed', 'changes_requested', 'all']).default('submitted'),
				authorId: z.uuid().optional(),
				caseId: z.uuid().optional(),
				kind: z.enum(noteKinds).optional(),
				offlineOnly: z.boolean().optional(),
				before: reviewCursor.optional()
			})
		)
		.query(({ ctx, input }) => listReviewQueue(ctx.db, ctx.lead, input, ctx.now())),

	note: leadProcedure
		.input(z.object({ noteId: z.uuid() }))
		.mutation(({ ctx, input }) => readNoteForReview(ctx.db, ctx.lead, input.noteId, ctx.now())),

	reviewNote: leadProcedure
		.input(
			z.object({
				noteId: z.uuid(),
				version: z.number().int().nonnegative(),
				decision: z.enum(['reviewed', 'changes_requested']),
				comment: z.string().max(limits.reasonMaxChars).nullable().optional()
			})
		)
		.mutation(({ ctx, input }) => reviewNote(ctx.db, ctx.lead, input, ctx.now())),

	team: leadProcedure.query(({ ctx }) => teamOverview(ctx.db, ctx.lead, ctx.now())),

	colleagues: leadProcedure.query(({ ctx }) => listColleagues(ctx.db, ctx.lead)),

	assign: leadProcedure
		.input(
			z
				.object({
					caseId: z.uuid(),
					userId: z.uuid().optional(),
					username: z.string().trim().min(1).max(100).optional(),
					role: z.enum(assignmentRoles),
					endsAt: isoDateTime.nullable().optional(),
					crossOrganisation: z.boolean().default(false)
				})
				.refine((v) => !!v.userId !== !!v.username, { message: 'userId or username', path: ['userId'] })
		)
		.mutation(({ ctx, input }) => assignWorker(ctx.db, ctx.lead, input, ctx.now())),

	endAssignment: leadProcedure
		.input(z.object({ assignmentId: z.uuid() }))
		.mutation(({ ctx, input }) => endAssignment(ctx.db, ctx.lead, input.assignmentId, ctx.now())),

	delegations: leadProcedure.query(({ ctx }) => listTeamDelegations(ctx.db, ctx.lead, ctx.now())),

	createDelegation: leadProcedure
		.input(
			z.object({
				fromUserId: z.uuid(),
				toUserId: z.uuid(),
				reason: z.string().max(limits.reasonMaxChars),
				startsAt: isoDateTime.nullable().optional(),
				// Optional on the wire so that a missing end date gets its own French message.
				endsAt: isoDateTime.nullable().optional()
			})
		)
		.mutation(({ ctx, input }) => createDelegation(ctx.db, ctx.lead, input, ctx.now())),

	revokeDelegation: leadProcedure
		.input(z.object({ delegationId: z.uuid() }))
		.mutation(({ ctx, input }) => revokeDelegation(ctx.db, ctx.lead, input.delegationId, ctx.now())),

	emergencyGrants: leadProcedure.query(({ ctx }) => listEmergencyGrantsForLead(ctx.db, ctx.lead, ctx.now())),

	revokeEmergencyGrant: leadProcedure
		.input(z.object({ grantId: z.uuid() }))
		.mutation(({ ctx, input }) => revokeEmergencyGrant(ctx.db, ctx.lead, input.grantId, ctx.now()))
});
