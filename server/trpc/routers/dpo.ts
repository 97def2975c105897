import { router } from '../trpc';
import { dpoAuditRouter } from './dpoAudit';
import { dpoRegisterRouter } from './dpoRegister';
import { dpoRetentionRouter } from './dpoRetention';
import { dpoRightsRouter } from './dpoRights';

/** Everything of the DPO (need 'audit'): audit trail, retention, rights of the persons, register. */
export const dpoRouter = router({
	audit: dpoAuditRouter,
	retention: dpoRetentionRouter,
	rights: dpoRightsRouter,
	register: dpoRegisterRouter
});
