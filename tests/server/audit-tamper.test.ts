import { asc, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../server/audit/appendAuditEvent';
import { hashAuditRow } from '../../server/audit/hashAuditRow';
import { verifyAuditChain } from '../../server/audit/verifyAuditChain';
import type { Database } from '../../server/db/client';
import { auditEvents } from '../../server/db/schema';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabase';

/** Runs SQL with the append-only trigger switched off, as a superuser could: what the hash chain is for. */
async function asSuperuser(db: Database, statement: ReturnType<typeof sql>) {
	await db.transaction(async (tx) => {
		await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
		await tx.execute(statement);
		await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
	});
}

async function refusal(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		const cause = (error as { cause?: unknown }).cause;
		return `${String(error)} ${cause ? String(cause) : ''}`;
	}
	throw new Error('expected the statement to be refused');
}

describe.each(databaseKinds)('audit trail on %s', (kind) => {
	let handle: TestDatabase;
	let ids: number[];
	const now = new Date('2026-11-23T09:00:00Z');

	beforeAll(async () => {
		handle = await createTestDatabase(kind);
		for (let i = 0; i < 6; i++) {
			await appendAuditEvent(handle.db, { action: 'test.event', details: { i, nested: { b: 2, a: 1 } } }, new Date(now.getTime() + i * 1000));
		}
		ids = (await handle.db.select({ id: auditEvents.id }).from(auditEvents).orderBy(asc(auditEvents.id))).map((r) => r.id);
	});
	afterAll(async () => handle?.destroy());

	it('refuses UPDATE, DELETE and TRUNCATE through the trigger', async () => {
		expect(await refusal(handle.db.execute(sql`update audit_events set action = 'rewritten' where id = ${ids[1]}`))).toMatch(/append-only/);
		expect(await refusal(handle.db.execute(sql`delete from audit_events where id = ${ids[1]}`))).toMatch(/append-only/);
		expect(await refusal(handle.db.execute(sql`truncate audit_events`))).toMatch(/append-only/);
		expect(await refusal(handle.db.update(auditEvents).set({ outcome: 'failure' }))).toMatch(/append-only/);
		const [{ n }] = await handle.db.select({ n: count() }).from(auditEvents);
		expect(n).toBe(ids.length);
		expect(await verifyAuditChain(handle.db)).toMatchObject({ status: 'intact', count: ids.length });
	});

	it('reports the id of a row whose details were changed behind the trigger', async () => {
		const target = ids[3];
		const [original] = await handle.db.select({ details: auditEvents.details }).from(auditEvents).where(eq(auditEvents.id, target));
		await asSuperuser(handle.db, sql`update audit_events set details = '{"i": 99}'::jsonb where id = ${target}`);
		expect(await verifyAuditChain(handle.db)).toEqual({ status: 'broken', count: 3, brokenAtId: target, reason: 'hash-mismatch' });

		await asSuperuser(handle.db, sql`update audit_events set details = ${JSON.stringify(original.details)}::jsonb where id = ${target}`);
		expect((await verifyAuditChain(handle.db)).status).toBe('intact');
	});

	it('catches a forger who also recomputes the row’s hash: the next row no longer links', async () => {
		const target = ids[2];
		const [row] = await handle.db.select().from(auditEvents).where(eq(auditEvents.id, target));
		const forged = { ...row, details: { i: 'forged' } };
		const forgedHash = hashAuditRow(row.prevHash, forged);
		await asSuperuser(handle.db, sql`update audit_events set details = '{"i": "forged"}'::jsonb, hash = ${forgedHash} where id = ${target}`);
		expect(await verifyAuditChain(handle.db)).toEqual({ status: 'broken', count: 3, brokenAtId: ids[3], reason: 'link-mismatch' });
		await asSuperuser(handle.db, sql`update audit_events set details = ${JSON.stringify(row.details)}::jsonb, hash = ${row.hash} where id = ${target}`);
	});

	it('catches a deleted row', async () => {
		await asSuperuser(handle.db, sql`delete from audit_events where id = ${ids[4]}`);
		expect(await verifyAuditChain(handle.db)).toMatchObject({ status: 'broken', brokenAtId: ids[5], reason: 'link-mismatch' });
	});
});
