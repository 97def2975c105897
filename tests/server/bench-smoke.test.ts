import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client';
import { pullChanges } from '../../server/sync/pullChanges';
import { datasetPresent, generateDataset, ids, type DatasetSizes } from '../../bench/dataset/generateDataset';
import { Figures } from '../../bench/lib/figures';
import { databaseKinds, testPostgresUrl } from '../support/testDatabase';

/** Keeps the benchmark harness from rotting: tiny sizes, no target. The benchmarks run with `npm run bench`. */
const tiny: DatasetSizes = {
	users: 3,
	casesPerUser: 2,
	notes: 20,
	noteBytes: 100,
	personsPerCase: 2,
	visitsPerCase: 1,
	syncCases: 2,
	syncNotes: 6,
	syncNoteBytes: 200
};

describe.skipIf(!databaseKinds.includes('postgres'))('benchmark harness (smoke)', () => {
	const name = `carnet_bench_smoke_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
	const url = new URL(testPostgresUrl);
	url.pathname = `/${name}`;

	afterAll(async () => {
		const admin = postgres(testPostgresUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end({ timeout: 1 });
	});

	it('generates the dataset, recognises it, and serves a first and an empty incremental pull from it', async () => {
		expect(await datasetPresent(url.toString(), tiny)).toBe(false);
		await generateDataset(testPostgresUrl, url.toString(), tiny);
		expect(await datasetPresent(url.toString(), tiny)).toBe(true);
		expect(await datasetPresent(url.toString(), { ...tiny, notes: 21 })).toBe(false);

		const handle = await openDatabase({ databaseUrl: url.toString(), migrationsDir: 'server/db/migrations', poolSize: 2 });
		try {
			const deviceId = crypto.randomUUID();
			const first = await pullChanges(handle.db, { id: ids.syncUser }, { deviceId, cursor: null, heldCaseIds: [] }, new Date());
			if (first.wipe) throw new Error('wiped');
			expect(first.cases).toHaveLength(2);
			expect(first.notes).toHaveLength(6);
			expect(first.notes[0].body?.length).toBeGreaterThan(150);
			const again = await pullChanges(handle.db, { id: ids.user(2) }, { deviceId: crypto.randomUUID(), cursor: null, heldCaseIds: [] }, new Date());
			if (again.wipe) throw new Error('wiped');
			expect(again.cases.map((c) => c.reference).sort()).toEqual(['BN-2025-000003', 'BN-2025-000004']);
			const empty = await pullChanges(handle.db, { id: ids.syncUser }, { deviceId, cursor: first.cursor, heldCaseIds: first.cases.map((c) => c.id) }, new Date());
			if (empty.wipe) throw new Error('wiped');
			expect(empty.cases.length + empty.notes.length + empty.persons.length).toBe(0);
		} finally {
			await handle.close();
		}
	});

	it('reports median, min and max, and holds each median against its target', () => {
		const figures = new Figures();
		figures.add('a.ms', 'ms', [3, 1, 2], { op: '<=', value: 2 });
		figures.add('b.per_s', 'per s', [10, 30, 20], { op: '>=', value: 25 });
		expect(figures.toJSON()).toEqual({
			'a.ms': { unit: 'ms', median: 2, min: 1, max: 3, runs: 3, target: { op: '<=', value: 2 }, pass: true },
			'b.per_s': { unit: 'per s', median: 20, min: 10, max: 30, runs: 3, target: { op: '>=', value: 25 }, pass: false }
		});
		expect(figures.toTable()).toMatch(/b\.per_s\s+20\s+10\s+30\s+per s\s+3\s+>= 25\s+MISS/);
	});
});
