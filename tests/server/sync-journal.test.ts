import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, journalHeads } from '../../server/db/schema';
import type { JournalEntry } from '../../src/lib/shared/sync';
import { verifyAuditChain } from '../../server/audit/verifyAuditChain';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { assignedCases, callerAs, type Caller, errorOf, seededDatabase, signEntries, START } from './syncTestKit';

describe.each(databaseKinds)('sync.journal on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	let amelie: Caller;
	let caseIds: string[];

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		amelie = await callerAs(handle.db, 'tisf.amelie', clock);
		caseIds = (await assignedCases(handle.db, 'tisf.amelie')).map((c) => c.id);
	});
	afterAll(async () => handle?.destroy());

	/** A fresh device and five signed entries viewed offline an hour before now. */
	async function deviceWithJournal(count = 5) {
		const deviceId = crypto.randomUUID();
		const page = await amelie.sync.pull({ deviceId, cursor: null, heldCaseIds: [] });
		if (page.wipe || !page.journalSecret) throw new Error('no secret');
		const unsigned = Array.from({ length: count }, (_, i) => ({
			seq: i + 1,
			at: new Date(clock.now().getTime() - 3_600_000 + i * 60_000).toISOString(),
			caseId: caseIds[i % caseIds.length],
			noteId: null,
			action: i % 2 === 0 ? ('case.view' as const) : ('search' as const),
			offline: true
		}));
		return { deviceId, secret: page.journalSecret, entries: signEntries(page.journalSecret, unsigned) };
	}
	const journalEvents = (deviceId: string) =>
		handle.db.select().from(auditEvents).where(and(eq(auditEvents.deviceId, deviceId), like(auditEvents.action, 'journal.%'))).orderBy(asc(auditEvents.id));

	it('writes a clean journal to the audit trail with offline = true and both times, and ignores a replay', async () => {
		const { deviceId, entries } = await deviceWithJournal();
		clock.advance(1_000);
		// Transport order does not matter: entries are sorted by seq.
		const result = await amelie.sync.journal({ deviceId, entries: [...entries].reverse() });
		expect(result).toEqual({ ackSeq: 5, incidents: [] });
		const events = await journalEvents(deviceId);
		expect(events).toHaveLength(5);
		for (const [i, event] of events.entries()) {
			expect(event.offline).toBe(true);
			expect(event.outcome).toBe('success');
			expect(event.action).toBe(`journal.${entries[i].action}`);
			expect(event.occurredAt.toISOString()).toBe(entries[i].at);
			expect(event.recordedAt.toISOString()).toBe(clock.now().toISOString());
			expect(event.caseId).toBe(entries[i].caseId);
			expect((event.details as { seq: number }).seq).toBe(i + 1);
		}
		expect(await amelie.sync.journal({ deviceId, entries })).toEqual({ ackSeq: 5, incidents: [] });
		expect(await journalEvents(deviceId)).toHaveLength(5);
		const pull = await amelie.sync.pull({ deviceId, cursor: null, heldCaseIds: caseIds });
		expect(pull).toMatchObject({ journalAckSeq: 5 });
		expect((await verifyAuditChain(handle.db)).status).toBe('intact');
	});

	it('continues the chain across batches', async () => {
		const { deviceId, entries } = await deviceWithJournal();
		expect(await amelie.sync.journal({ deviceId, entries: entries.slice(0, 2) })).toEqual({ ackSeq: 2, incidents: [] });
		expect(await amelie.sync.journal({ deviceId, entries: entries.slice(2) })).toEqual({ ackSeq: 5, incidents: [] });
	});

	it('detects a deleted entry (gap), records it as an incident, and re-anchors on the next entry', async () => {
		const { deviceId, entries } = await deviceWithJournal();
		const withoutThird = entries.filter((e) => e.seq !== 3);
		const result = await amelie.sync.journal({ deviceId, entries: withoutThird });
		expect(result).toEqual({ ackSeq: 5, incidents: ['gap'] });
		const events = await journalEvents(deviceId);
		const gap = events.find((e) => e.outcome === 'incident')!;
		expect(gap.details).toMatchObject({ incident: 'gap', seq: 4, expectedSeq: 3, missing: 1 });
		expect(events.filter((e) => e.outcome === 'success').map((e) => (e.details as { seq: number }).seq)).toEqual([1, 2, 5]);
	});

	it('detects a reordered entry (bad MAC) and accepts nothing after it', async () => {
		const { deviceId, entries } = await deviceWithJournal();
		const [e1, e2, e3, e4] = entries;
		const reordered: JournalEntry[] = [e1, { ...e3, seq: 2 }, { ...e2, seq: 3 }, e4];
		const result = await amelie.sync.journal({ deviceId, entries: reordered });
		expect(result).toEqual({ ackSeq: 1, incidents: ['bad-mac'] });
		const events = await journalEvents(deviceId);
		expect(events.map((e) => [(e.details as { seq: number }).seq, e.outcome])).toEqual([
			[1, 'success'],
			[2, 'incident'],
			[3, 'incident'],
			[4, 'incident']
		]);
		const [head] = await handle.db.select().from(journalHeads).where(eq(journalHeads.deviceId, deviceId));
		expect(head.lastSeq).toBe(1);
		// Sent again: the same incident, no new rows.
		expect(await amelie.sync.journal({ deviceId, entries: reordered })).toEqual({ ackSeq: 1, incidents: ['bad-mac'] });
		expect(await journalEvents(deviceId)).toHaveLength(4);
	});

	it('detects a modified entry (bad MAC)', async () => {
		const { deviceId, entries } = await deviceWithJournal();
		const tampered = entries.map((e) => (e.seq === 2 ? { ...e, caseId: caseIds[5] } : e));
		const result = await amelie.sync.journal({ deviceId, entries: tampered });
		expect(result).toEqual({ ackSeq: 1, incidents: ['bad-mac'] });
		// Moving a view back in time is a modification too.
		const other = await deviceWithJournal();
		const backdated = other.entries.map((e) => (e.seq === 3 ? { ...e, at: new Date(START.getTime() - 86_400_000).toISOString() } : e));
		expect(await amelie.sync.journal({ deviceId: other.deviceId, entries: backdated })).toEqual({ ackSeq: 2, incidents: ['bad-mac'] });
	});

	it('flags a fork (same seq, another MAC) and an unknown case', async () => {
		const { deviceId, secret, entries } = await deviceWithJournal(3);
		await amelie.sync.journal({ deviceId, entries });
		const forked = signEntries(secret, [{ ...entries[1], caseId: caseIds[3] }], entries[0].mac);
		expect(await amelie.sync.journal({ deviceId, entries: forked })).toEqual({ ackSeq: 3, incidents: ['fork'] });

		const unknown = signEntries(secret, [{ seq: 4, at: clock.now().toISOString(), caseId: crypto.randomUUID(), noteId: null, action: 'case.view', offline: true }], entries[2].mac);
		expect(await amelie.sync.journal({ deviceId, entries: unknown })).toEqual({ ackSeq: 4, incidents: ['unknown-case'] });
	});

	it('refuses the journal of another user’s device as not found', async () => {
		const { deviceId, entries } = await deviceWithJournal(1);
		const gael = await callerAs(handle.db, 'aed.gael', clock);
		const foreign = await errorOf(gael.sync.journal({ deviceId, entries }));
		const unknown = await errorOf(gael.sync.journal({ deviceId: crypto.randomUUID(), entries }));
		expect(foreign.message).toBe('not-found-or-no-access');
		expect(unknown.message).toBe(foreign.message);
		expect(unknown.code).toBe(foreign.code);
	});
});
