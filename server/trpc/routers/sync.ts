import { z } from 'zod';
import {
	deviceIdSchema,
	journalInputSchema,
	journalOutputSchema,
	pullInputSchema,
	pullOutputSchema,
	pushInputSchema,
	pushOutputSchema
} from '../../../src/lib/shared/sync';
import { acceptJournal } from '../../sync/acceptJournal';
import { acknowledgeWipe } from '../../sync/acknowledgeWipe';
import { pullChanges } from '../../sync/pullChanges';
import { packPullOutput } from '../../sync/toWireRecords';
import { pushMutations } from '../../sync/pushMutations';
import { needProcedure, router } from '../trpc';

/** The device sync protocol (DESIGN.md, "Sync protocol"); the case-level decisions are server/policy's. */
export const syncRouter = router({
	pull: needProcedure('sync')
		.input(pullInputSchema)
		.output(pullOutputSchema)
		.mutation(async ({ ctx, input }) => {
			const output = await pullChanges(ctx.db, ctx.user, input, ctx.now());
			// Packed: the records are checked as objects (wire fields only) before they become JSON
			// text; the output check above then sees only the packed form.
			return input.packed ? packPullOutput(pullOutputSchema.parse(output)) : output;
		}),

	push: needProcedure('sync')
		.input(pushInputSchema)
		.output(pushOutputSchema)
		.mutation(({ ctx, input }) => pushMutations(ctx.db, ctx.user, input, ctx.now())),

	journal: needProcedure('sync')
		.input(journalInputSchema)
		.output(journalOutputSchema)
		.mutation(({ ctx, input }) => acceptJournal(ctx.db, ctx.user, input, ctx.now())),

	acknowledgeWipe: needProcedure('sync')
		.input(z.object({ deviceId: deviceIdSchema }))
		.output(z.object({ acknowledged: z.boolean() }))
		.mutation(({ ctx, input }) => acknowledgeWipe(ctx.db, ctx.user, input.deviceId, ctx.now()))
});
