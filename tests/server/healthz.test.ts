import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { databaseKinds, testPostgresUrl } from '../support/testDatabase';
import { startBuiltServer } from '../support/serverProcess';
import { parseConfig, ConfigError } from '../../server/config';

describe('start-up configuration', () => {
	it('names the wrong variable', () => {
		expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
		expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
		expect(() => parseConfig({ SESSION_IDLE_MINUTES: 'soon' })).toThrow(/SESSION_IDLE_MINUTES/);
		expect(() => parseConfig({ AUDIT_RETENTION_DAYS: '30' })).toThrow(/AUDIT_RETENTION_DAYS/);
		expect(parseConfig({}).PGLITE_DIR).toBe('./data');
	});

	it('stops the built server with a message naming the variable', async () => {
		await expect(startBuiltServer({ SESSION_MAX_AGE_HOURS: 'never', PGLITE_DIR: 'memory://' }, 4301)).rejects.toThrow(
			/SESSION_MAX_AGE_HOURS/
		);
	});
});

describe.runIf(databaseKinds.includes('postgres'))('GET /healthz on PostgreSQL', () => {
	it('answers 200 while the database is up and 503 once it is unreachable', async () => {
		const name = `carnet_h_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
		const admin = postgres(testPostgresUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const url = new URL(testPostgresUrl);
		url.pathname = `/${name}`;
		const server = await startBuiltServer({ DATABASE_URL: url.toString() }, 4302);
		try {
			const up = await fetch(`${server.url}/healthz`);
			expect(up.status).toBe(200);
			expect(await up.json()).toEqual({ status: 'ok', database: { kind: 'postgres', status: 'up' } });
			await admin.unsafe(`drop database ${name} with (force)`);
			const down = await fetch(`${server.url}/healthz`);
			expect(down.status).toBe(503);
			expect((await down.json()).database.status).toBe('down');
		} finally {
			await server.stop();
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	});
});
