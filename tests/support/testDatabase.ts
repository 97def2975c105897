import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../../server/db/client';

export type DatabaseKind = 'pglite' | 'postgres';

/** Admin connection used to create one throw-away database per test file. */
export const testPostgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
	if (process.env.CARNET_TEST_POSTGRES === 'off') return false;
	const sql = postgres(testPostgresUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
	try {
		await sql`select 1`;
		return true;
	} catch (error) {
		if (process.env.CARNET_TEST_POSTGRES === 'required') {
			throw new Error(`PostgreSQL required for tests but unreachable at ${testPostgresUrl}: ${String(error)}`);
		}
		return false;
	} finally {
		await sql.end({ timeout: 1 });
	}
}

/** PGlite always; PostgreSQL too when reachable (CARNET_TEST_POSTGRES=required makes it mandatory, =off skips it). */
export const databaseKinds: DatabaseKind[] = (await postgresReachable()) ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends DatabaseHandle {
	/** postgres:// URL of the throw-away database (PostgreSQL only). */
	url: string | null;
	destroy(): Promise<void>;
}

/** A fresh, migrated, empty database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
	const migrationsDir = 'server/db/migrations';
	if (kind === 'pglite') {
		const handle = await openDatabase({ pgliteDir: 'memory://', migrationsDir });
		return { ...handle, url: null, destroy: () => handle.close() };
	}
	const name = `carnet_t_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
	const admin = postgres(testPostgresUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(testPostgresUrl);
	url.pathname = `/${name}`;
	const handle = await openDatabase({ databaseUrl: url.toString(), migrationsDir });
	return {
		...handle,
		url: url.toString(),
		async destroy() {
			await handle.close();
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end({ timeout: 1 });
		}
	};
}
