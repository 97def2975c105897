import { desc, eq } from 'drizzle-orm';
import { devices } from '../../db/schema';
import { authedProcedure, router } from '../trpc';

/** The signed-in user's own account: nothing here concerns anyone else. */
export const accountRouter = router({
	devices: authedProcedure.query(async ({ ctx }) => {
		const rows = await ctx.db
			.select({
				id: devices.id,
				label: devices.label,
				createdAt: devices.createdAt,
				lastSyncAt: devices.lastSyncAt,
				revokedAt: devices.revokedAt
			})
			.from(devices)
			.where(eq(devices.userId, ctx.user.id))
			.orderBy(desc(devices.createdAt));
		return rows.map((row) => ({
			...row,
			createdAt: row.createdAt.toISOString(),
			lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
			revokedAt: row.revokedAt?.toISOString() ?? null
		}));
	})
});
