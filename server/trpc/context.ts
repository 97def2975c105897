import type { Config } from '../config';
import type { Database } from '../db/client';
import type { SessionUser } from '../auth/session';

export interface Context {
	db: Database;
	config: Config;
	/** Injected clock: tests move time forward without waiting. */
	now: () => Date;
	user: SessionUser | null;
	sessionId: string | null;
	clientAddress: string;
	/** Whether the request came over HTTPS (Secure cookies). */
	secure: boolean;
	/** Response headers (Set-Cookie); null when called through createCaller. */
	resHeaders: Headers | null;
}

/** A context without a request, for tests and commands. */
export function createContextInner(
	opts: Pick<Context, 'db' | 'config'> & Partial<Omit<Context, 'db' | 'config'>>
): Context {
	return {
		now: () => new Date(),
		user: null,
		sessionId: null,
		clientAddress: '127.0.0.1',
		secure: false,
		resHeaders: null,
		...opts
	};
}
