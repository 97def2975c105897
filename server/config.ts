import { z } from 'zod';

/**
 * Server configuration, from environment variables, validated at start-up. A wrong value
 * stops the server with a message naming the variable (README.md lists them all).
 */
const configSchema = z.object({
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
		.optional(),
	/** Connections to PostgreSQL per server process (ignored on PGlite). */
	DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
	PGLITE_DIR: z.string().min(1).default('./data'),
	MIGRATIONS_DIR: z.string().min(1).default('./server/db/migrations'),
	/** 'auto': seed the demo organisation on first start of an empty embedded database. */
	DEMO_SEED: z.enum(['auto', 'off']).default('auto'),
	SESSION_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
	SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(240).default(30),
	LOGIN_MAX_PER_ADDRESS: z.coerce.number().int().min(5).max(10_000).default(100),
	LOGIN_ADDRESS_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
	LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
	AUDIT_RETENTION_DAYS: z.coerce.number().int().min(180).max(365).default(365),
	RETENTION_JOB: z.enum(['on', 'off']).default('on'),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
	/**
	 * Processes serving the app (scripts/serve.js): a number, or 'auto' for one per core. More
	 * than one needs PostgreSQL: the embedded database opens in one process only.
	 */
	SERVER_PROCESSES: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1)
}).superRefine((config, context) => {
	if (config.SERVER_PROCESSES !== 1 && config.DATABASE_URL === undefined) {
		context.addIssue({
			code: 'custom',
			path: ['SERVER_PROCESSES'],
			message: 'needs DATABASE_URL (PostgreSQL): the embedded database (PGlite) opens in one process only'
		});
	}
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
	constructor(readonly variable: string, detail: string) {
		super(`Invalid configuration: ${variable} ${detail}`);
		this.name = 'ConfigError';
	}
}

/** Parses the environment; throws a ConfigError naming the first wrong variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
	const cleaned = Object.fromEntries(
		Object.entries(env).filter(([, value]) => value !== undefined && value !== '')
	);
	const result = configSchema.safeParse(cleaned);
	if (!result.success) {
		const issue = result.error.issues[0];
		throw new ConfigError(String(issue.path[0] ?? 'configuration'), issue.message);
	}
	return result.data;
}

let current: Config | null = null;

export function getConfig(): Config {
	current ??= parseConfig(process.env);
	return current;
}
