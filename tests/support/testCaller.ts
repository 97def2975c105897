import { eq } from 'drizzle-orm';
import { parseConfig } from '../../server/config';
import type { Database } from '../../server/db/client';
import { users } from '../../server/db/schema';
import type { SessionUser } from '../../server/auth/session';
import { createContextInner, type Context } from '../../server/trpc/context';
import { createCallerFactory } from '../../server/trpc/trpc';
import { appRouter } from '../../server/trpc/routers/_app';

export const testConfig = parseConfig({ DEMO_SEED: 'off', RETENTION_JOB: 'off' });
const createCaller = createCallerFactory(appRouter);

/** A controllable clock for tests. */
export class TestClock {
	constructor(public current = new Date()) {}
	now = () => new Date(this.current);
	advance(ms: number) {
		this.current = new Date(this.current.getTime() + ms);
	}
}

export async function loadSessionUser(db: Database, username: string): Promise<SessionUser> {
	const [row] = await db.select().from(users).where(eq(users.username, username));
	if (!row) throw new Error(`no user ${username}`);
	return {
		id: row.id,
		organisationId: row.organisationId,
		teamId: row.teamId,
		username: row.username,
		displayName: row.displayName,
		role: row.role,
		profession: row.profession,
		mustChangePassword: row.mustChangePassword,
		habilitations: row.habilitations
	};
}

/** A tRPC caller acting as `user` (null = anonymous), with captured response headers. */
export function callerFor(db: Database, user: SessionUser | null, overrides: Partial<Context> = {}) {
	const resHeaders = new Headers();
	const ctx = createContextInner({ db, config: testConfig, user, resHeaders, sessionId: null, ...overrides });
	return { caller: createCaller(ctx), resHeaders, ctx };
}
