import { router } from '../trpc';
import { authRouter } from './auth';
import { accountRouter } from './account';
import { syncRouter } from './sync';
import { leadRouter } from './lead';
import { adminRouter } from './admin';
import { emergencyRouter } from './emergency';
import { dpoRouter } from './dpo';

export const appRouter = router({
	sync: syncRouter,
	auth: authRouter,
	account: accountRouter,
	lead: leadRouter,
	admin: adminRouter,
	emergency: emergencyRouter,
	dpo: dpoRouter
});

export type AppRouter = typeof appRouter;
