import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedMutations, notes } from '../../server/db/schema';
import type { Mutation } from '../../src/lib/shared/sync';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, type Caller, errorOf, seededDatabase, START } from './syncTestKit';

const createNote = (caseId: string, body: string): Mutation => ({
	id: crypto.randomUUID(),
	type: 'note.create',
	baseVersion: null,
	payload: { noteId: crypto.randomUUID(), caseId, kind: 'observation', body, sensitiveCategory: null, createdOnDeviceAt: START.toISOString() }
});

// Found by tests/long/faults.test.ts: while PostgreSQL restarted, valid notes came back
// "rejected: invalid", which the app turns back into drafts. A database outage must fail the
// push instead, so the device keeps its outbox and sends the same mutations again.
describe.each(databaseKinds)('sync.push while the database is away, on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	let amelie: Caller;
	let deviceId: string;
	let caseId: string;

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		amelie = await callerAs(handle.db, 'tisf.amelie', clock);
		deviceId = crypto.randomUUID();
		await amelie.sync.pull({ deviceId, cursor: null, heldCaseIds: [] });
		caseId = (await assignedCases(handle.db, 'tisf.amelie'))[0].id;
	});
	afterAll(async () => handle?.destroy());

	it('fails the whole push on a connection-class error; the replay applies what is missing', async () => {
		await handle.db.execute(sql.raw(`
			create or replace function test_admin_shutdown() returns trigger as $$
			begin
				if new.body = 'COUPURE' then raise exception 'terminating connection due to administrator command' using errcode = 'admin_shutdown'; end if;
				return new;
			end; $$ language plpgsql`));
		await handle.db.execute(sql.raw('create trigger test_admin_shutdown before insert on notes for each row execute function test_admin_shutdown()'));
		const first = createNote(caseId, 'Avant la coupure.');
		const cut = createNote(caseId, 'COUPURE');
		const error = await errorOf(amelie.sync.push({ deviceId, mutations: [first, cut] }));
		expect(error.code).toBe('INTERNAL_SERVER_ERROR');
		expect(await handle.db.select().from(appliedMutations).where(eq(appliedMutations.id, cut.id))).toHaveLength(0);

		await handle.db.execute(sql.raw('drop trigger test_admin_shutdown on notes'));
		const replay = await amelie.sync.push({ deviceId, mutations: [first, cut] });
		expect(replay.wipe).toBe(false);
		if (replay.wipe) return;
		expect(replay.results.map((r) => r.status)).toEqual(['duplicate', 'applied']);
		expect(await handle.db.select().from(notes).where(eq(notes.id, (cut.payload as { noteId: string }).noteId))).toHaveLength(1);
	});
});
