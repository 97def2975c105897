import { z } from 'zod';
import { roles, sensitiveCategories } from '../../../src/lib/shared/domain';
import { requireActiveSubject } from '../../policy/requireActiveSubject';
import { createAccount, listAccounts, updateAccount } from '../../admin/accounts';
import { disableAccount, enableAccount, markAccountReviewed, resetAccountPassword } from '../../admin/accountLifecycle';
import { listDevices, revokeDevice } from '../../admin/devices';
import { habilitationReview } from '../../admin/habilitationReview';
import { createOrganisation, createTeam, listOrganisations } from '../../admin/organisations';
import { revokeDelegation } from '../../lead/delegations';
import { needProcedure, router } from '../trpc';

/** Administrators: accounts, teams, devices, habilitation review. Never case content (DESIGN.md, "Roles"). */
const adminProcedure = needProcedure('administer').use(async ({ ctx, next }) =>
	next({ ctx: { ...ctx, admin: await requireActiveSubject(ctx.db, ctx.user, ['admin']) } })
);

const accountFields = {
	displayName: z.string().trim().min(1).max(120),
	role: z.enum(roles),
	profession: z.string().trim().max(120).nullable().optional(),
	teamId: z.uuid().nullable(),
	habilitations: z.array(z.enum(sensitiveCategories)).max(sensitiveCategories.length)
};
const accountAtVersion = z.object({ userId: z.uuid(), version: z.number().int().nonnegative() });

export const adminRouter = router({
	accounts: adminProcedure.query(({ ctx }) => listAccounts(ctx.db, ctx.admin)),

	createAccount: adminProcedure
		.input(
			z.object({
				...accountFields,
				username: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9._-]{2,49}$/),
				organisationId: z.uuid()
			})
		)
		.mutation(({ ctx, input }) => createAccount(ctx.db, ctx.admin, input, ctx.now())),

	updateAccount: adminProcedure
		.input(accountAtVersion.extend(accountFields))
		.mutation(({ ctx, input }) => updateAccount(ctx.db, ctx.admin, input, ctx.now())),

	resetPassword: adminProcedure.input(accountAtVersion).mutation(({ ctx, input }) => resetAccountPassword(ctx.db, ctx.admin, input, ctx.now())),

	disableAccount: adminProcedure.input(accountAtVersion).mutation(({ ctx, input }) => disableAccount(ctx.db, ctx.admin, input, ctx.now())),

	enableAccount: adminProcedure.input(accountAtVersion).mutation(({ ctx, input }) => enableAccount(ctx.db, ctx.admin, input, ctx.now())),

	organisations: adminProcedure.query(({ ctx }) => listOrganisations(ctx.db, ctx.admin)),

	createOrganisation: adminProcedure
		.input(z.object({ name: z.string().trim().min(1).max(120), kind: z.enum(['association', 'provider', 'department']) }))
		.mutation(({ ctx, input }) => createOrganisation(ctx.db, ctx.admin, input, ctx.now())),

	createTeam: adminProcedure
		.input(z.object({ organisationId: z.uuid(), name: z.string().trim().min(1).max(120) }))
		.mutation(({ ctx, input }) => createTeam(ctx.db, ctx.admin, input, ctx.now())),

	devices: adminProcedure.query(({ ctx }) => listDevices(ctx.db, ctx.admin)),

	revokeDevice: adminProcedure
		.input(z.object({ deviceId: z.uuid() }))
		.mutation(({ ctx, input }) => revokeDevice(ctx.db, ctx.admin, input.deviceId, ctx.now())),

	habilitationReview: adminProcedure.query(({ ctx }) => habilitationReview(ctx.db, ctx.admin, ctx.now())),

	markReviewed: adminProcedure.input(accountAtVersion).mutation(({ ctx, input }) => markAccountReviewed(ctx.db, ctx.admin, input, ctx.now())),

	/** Cleans a delegation past its end that was never revoked (flagged by the review). */
	revokeDelegation: adminProcedure
		.input(z.object({ delegationId: z.uuid() }))
		.mutation(({ ctx, input }) => revokeDelegation(ctx.db, ctx.admin, input.delegationId, ctx.now()))
});
