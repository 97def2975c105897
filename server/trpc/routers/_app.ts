import { router } from '../trpc';
import { authRouter } from './auth';
import { syncRouter } from './sync';

export const appRouter = router({
	sync: syncRouter,
	auth: authRouter
});

export type AppRouter = typeof appRouter;
