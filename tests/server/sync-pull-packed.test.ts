import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPullOutput } from '../../server/sync/toWireRecords';
import { caseRecordSchema, noteRecordSchema, personRecordSchema, visitRecordSchema } from '../../src/lib/shared/records';
import { pullOutputSchema, type PackedRecord } from '../../src/lib/shared/sync';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { TestClock } from '../support/testCaller';
import { callerAs, seededDatabase, START, type Caller, type PullPage } from './syncTestKit';

/**
 * sync.pull with `packed: true` (what the device's sync engine asks for): the records come as
 * their clear fields plus the base64 of their UTF-8 JSON, which the device encrypts as it is.
 * The server's zod check of its output still runs on the records as objects, before packing;
 * these tests prove the packed JSON carries exactly the wire fields, and the same records as
 * the object form.
 */
const schemas = { cases: caseRecordSchema, persons: personRecordSchema, notes: noteRecordSchema, visits: visitRecordSchema };
const tables = ['cases', 'persons', 'notes', 'visits'] as const;

const unpack = (record: PackedRecord) => JSON.parse(Buffer.from(record.json, 'base64').toString('utf8')) as Record<string, unknown> & { id: string };

async function pullEverything(caller: Caller, packed: boolean) {
	const deviceId = crypto.randomUUID();
	const pages: PullPage[] = [];
	let cursor: string | null = null;
	const held = new Set<string>();
	for (let i = 0; i < 100; i++) {
		const page = await caller.sync.pull({ deviceId, cursor, heldCaseIds: [...held], ...(packed ? { packed: true } : {}) });
		if (page.wipe) throw new Error('unexpected wipe');
		pages.push(page);
		for (const c of page.packed?.cases ?? page.cases) held.add(c.id);
		cursor = page.cursor;
		if (!page.hasMore) return pages;
	}
	throw new Error('pull never finished');
}

describe.each(databaseKinds)('sync.pull packed on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
	});
	afterAll(async () => handle?.destroy());

	it('sends the same records as the object form, each with exactly the fields of its wire schema', async () => {
		for (const username of ['tisf.amelie', 'educ.chloe', 'tisf.ines']) {
			const caller = await callerAs(handle.db, username, clock);
			const objects = await pullEverything(caller, false);
			const packed = await pullEverything(caller, true);
			expect(packed.map((p) => p.cursor)).toEqual(objects.map((p) => p.cursor));
			let records = 0;
			for (const table of tables) {
				const sent: unknown[] = objects.flatMap((p): unknown[] => p[table]);
				const got = packed.flatMap((p) => p.packed![table]);
				expect(packed.every((p) => p[table].length === 0)).toBe(true);
				expect(got.map(unpack)).toEqual(sent);
				const wireFields = Object.keys(schemas[table].shape).sort();
				for (const record of got) {
					const value = unpack(record);
					expect(Object.keys(value).sort()).toEqual(wireFields);
					expect(schemas[table].strict().safeParse(value).success).toBe(true);
					// The clear fields the device keeps beside the ciphertext are the record's own.
					expect(record).toMatchObject({ id: value.id, caseId: (value.caseId as string | undefined) ?? value.id, version: value.version });
				}
				records += got.length;
			}
			expect(records).toBeGreaterThan(0);
		}
	});

	it('restricted notes stay restricted in the packed form (no body)', async () => {
		let restricted = 0;
		for (const username of ['tisf.amelie', 'aed.bruno', 'educ.chloe', 'aed.gael', 'tisf.ines']) {
			const caller = await callerAs(handle.db, username, clock);
			const notes = (await pullEverything(caller, true)).flatMap((p) => p.packed!.notes.map(unpack));
			for (const note of notes.filter((n) => n.restricted)) {
				expect(note.body).toBeNull();
				restricted++;
			}
		}
		expect(restricted).toBeGreaterThan(0);
	});

	it('a field that is not on the wire never reaches the packed JSON', () => {
		const page = {
			wipe: false as const,
			cursor: '1',
			hasMore: false,
			revokedCaseIds: [],
			cases: [],
			persons: [],
			notes: [],
			visits: [
				{
					id: crypto.randomUUID(),
					caseId: crypto.randomUUID(),
					userId: null,
					plannedAt: START.toISOString(),
					status: 'planned' as const,
					place: null,
					purpose: null,
					reportNoteId: null,
					version: 1,
					secretColumn: 'must not leave the server'
				}
			],
			tombstones: [],
			policy: { lockTimeoutSeconds: 300, maxOfflineDays: 7 },
			journalSecret: null,
			journalAckSeq: 0,
			serverTime: START.toISOString()
		};
		// What the router does for a packed pull: the output schema first, then packing.
		const packed = packPullOutput(pullOutputSchema.parse(page));
		if (packed.wipe) throw new Error('wipe');
		const json = Buffer.from(packed.packed!.visits[0].json, 'base64').toString('utf8');
		expect(json).not.toContain('secretColumn');
		expect(Object.keys(JSON.parse(json)).sort()).toEqual(Object.keys(visitRecordSchema.shape).sort());
	});
});
