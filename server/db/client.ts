import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import postgres from 'postgres';
import * as schema from './schema';
import { createRecyclablePostgres } from './recyclablePostgres';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
	db: Database;
	kind: 'pglite' | 'postgres';
	close(): Promise<void>;
	/** PostgreSQL: replaces the connection pool (after a driver fault, see guardPostgresDriverFaults). */
	recyclePool?(): Promise<void>;
}

export interface OpenDatabaseOptions {
	/** postgres://… to use PostgreSQL; absent to use the embedded PGlite. */
	databaseUrl?: string;
	/** PGlite data directory; 'memory://' for an in-memory database. */
	pgliteDir?: string;
	migrationsDir: string;
	/** Connection pool size on PostgreSQL. */
	poolSize?: number;
}

/** Opens PostgreSQL or PGlite and applies the drizzle-kit migrations (the same for both). */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
	if (options.databaseUrl) {
		const url = options.databaseUrl;
		const pool = createRecyclablePostgres(() => {
			const client = postgres(url, {
				max: options.poolSize ?? 4,
				onnotice: () => {},
				connection: { application_name: 'carnet' }
			});
			drizzlePostgres(client); // sets drizzle's type parsers on this pool's options
			return client;
		});
		const db = drizzlePostgres(pool.client, { schema });
		await migratePostgres(db, { migrationsFolder: options.migrationsDir });
		return {
			db: db as unknown as Database,
			kind: 'postgres',
			close: () => pool.end({ timeout: 5 }),
			recyclePool: () => pool.recycle()
		};
	}
	const dir = options.pgliteDir ?? './data';
	const client = dir === 'memory://' ? new PGlite() : new PGlite(dir);
	await client.waitReady;
	const db = drizzlePglite(client, { schema });
	await migratePglite(db, { migrationsFolder: options.migrationsDir });
	return { db: db as unknown as Database, kind: 'pglite', close: () => client.close() };
}

/** drizzle's execute() returns rows directly on postgres-js and `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows?: T[] }).rows ?? []) as T[];
}
