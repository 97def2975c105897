import { z } from 'zod';
import { limits } from '../../../src/lib/shared/domain';
import { requireActiveSubject } from '../../policy/requireActiveSubject';
import { requestEmergencyAccess } from '../../lead/emergencyGrants';
import { needProcedure, router } from '../trpc';

/**
 * Break the glass (DESIGN.md): a worker or a lead asks, for themselves, for two hours of access
 * to a case of their organisation outside their caseload. Online only, reason required; the
 * team lead sees the grant and the audit trail records it.
 */
export const emergencyRouter = router({
	request: needProcedure('sync')
		.input(z.object({ caseReference: z.string().trim().min(1).max(60), reason: z.string().max(limits.reasonMaxChars) }))
		.mutation(async ({ ctx, input }) => {
			const requester = await requireActiveSubject(ctx.db, ctx.user, ['worker', 'lead']);
			return requestEmergencyAccess(ctx.db, requester, input, ctx.now());
		})
});
