/**
 * The benchmark page: the real client modules of src/lib (store, crypto, sync engine, search),
 * bundled by esbuild (bench/browser/bundleHarness.ts) and served by Playwright at the app's
 * origin, so that the sync engine's tRPC client reaches the real server with the session cookie.
 */
import { Dexie } from 'dexie';
import { api } from '$lib/api/client';
import { pullPage } from '$lib/api/pullPage';
import { DEFAULT_KDF_PARAMS, type KdfParams } from '$lib/crypto';
import { createKeyring, currentStoreName, listCaseload, listNotes, listQuarantine, lockKeyring, openStoreByName, prepareUnlock, putNotes, sealPullPage, unlockKeyring, wipeStore, writeSealedPage } from '$lib/db';
import { forgetOpenedValues } from '$lib/db/openedValues';
import { requireDb } from '$lib/db/session';
import { syncWithServer } from '$lib/sync/syncWithServer';
import { buildCaseSearchIndex, searchCaseIndex } from '$lib/search/searchCaseload';
import type { CaseRecord, NoteRecord, PersonRecord, VisitRecord } from '$lib/shared/records';
import type { PullOutput } from '$lib/shared/sync';

/** Light KDF parameters where the KDF is not what is measured. */
const LIGHT_KDF: KdfParams = { algorithm: 'argon2id', memoryKiB: 1_024, iterations: 1, parallelism: 1 };

/** JSON with sorted keys, to compare records whatever their key order. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v) =>
		v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v
	);
}

function freshStoreName(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return `carnet-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

async function freshStore(password: string, kdfParams: KdfParams) {
	await openStoreByName(freshStoreName());
	await createKeyring(password, { kdfParams });
}

let preparedStore: string | null = null;

type Page = { cases: CaseRecord[]; persons: PersonRecord[]; notes: NoteRecord[]; visits: VisitRecord[] };

const bench = {
	/** First sync of an empty store through the real engine (push outbox, pull pages, journal). */
	async initialSync(): Promise<{ ms: number; records: number }> {
		await freshStore('bench-password', LIGHT_KDF);
		const started = performance.now();
		const result = await syncWithServer();
		const ms = performance.now() - started;
		await wipeStore();
		return { ms, records: result.pull.records };
	},

	/**
	 * A first sync, then every stored row decrypted and compared with the records fetched by
	 * fetchRecords (not timed): what initial_sync stores must open to exactly those records.
	 */
	async verifyInitialSync(): Promise<{ ms: number; records: number; mismatches: number; quarantined: number; notePacks: number }> {
		await freshStore('bench-password', LIGHT_KDF);
		await syncWithServer();
		const expected = (globalThis as { benchRecords?: Page }).benchRecords!;
		const caseload = await listCaseload();
		const notes = await listNotes();
		const quarantined = (await listQuarantine()).length;
		// How many rows the notes took (db/notePacks.ts: one per case and pull page).
		const notePacks = await requireDb().notePacks.count();
		const got: Page = {
			cases: caseload.items.map((item) => item.case),
			persons: caseload.items.flatMap((item) => item.persons),
			notes: notes.items,
			visits: caseload.items.flatMap((item) => item.visits)
		};
		let mismatches = 0;
		let records = 0;
		for (const key of ['cases', 'persons', 'notes', 'visits'] as const) {
			const byId = new Map<string, unknown>(got[key].map((r) => [r.id, r]));
			records += byId.size;
			if (byId.size !== expected[key].length) mismatches++;
			for (const record of expected[key]) if (canonical(byId.get(record.id)) !== canonical(record)) mismatches++;
		}
		await wipeStore();
		return { ms: 0, records, mismatches, quarantined, notePacks };
	},

	/**
	 * The same records as a first sync, fetched page after page, nothing stored. As objects (the
	 * default): kept for plainPut. `packed`: as the sync engine asks for them, binary frames
	 * (initial_sync_fetch_only).
	 */
	async fetchRecords(packed = false): Promise<{ ms: number; records: number }> {
		const started = performance.now();
		const deviceId = crypto.randomUUID();
		const all: Page = { cases: [], persons: [], notes: [], visits: [] };
		if (packed) (globalThis as { benchPackedPages?: unknown[] }).benchPackedPages = [];
		const held: string[] = [];
		let records = 0;
		let cursor: string | null = null;
		for (;;) {
			// Packed: as the sync engine asks for them (binary frames, pullPage); otherwise tRPC objects.
			const page = packed ? await pullPage({ deviceId, cursor, heldCaseIds: held }) : await api.sync.pull.mutate({ deviceId, cursor, heldCaseIds: held });
			if (page.wipe) throw new Error('wiped');
			const got = page.packed ?? page;
			if (packed) ((globalThis as { benchPackedPages?: unknown[] }).benchPackedPages ??= []).push(page);
			for (const key of ['cases', 'persons', 'notes', 'visits'] as const) {
				records += got[key].length;
				if (!packed) (all[key] as unknown[]).push(...(page as Extract<PullOutput, { wipe: false }>)[key]);
			}
			held.push(...got.cases.map((c) => c.id));
			cursor = page.cursor;
			if (!page.hasMore) break;
		}
		const ms = performance.now() - started;
		if (!packed) (globalThis as { benchRecords?: Page }).benchRecords = all;
		return { ms, records };
	},

	/**
	 * What the device does with the pages of a first sync once they are in memory: the pages
	 * fetched by fetchRecords(true) encrypted and written as the sync engine does (page n+1
	 * sealed while page n is written), no network. Developer figure (profileInitialSync).
	 */
	async storeOnly(): Promise<{ ms: number }> {
		const pages = (globalThis as { benchPackedPages?: Parameters<typeof sealPullPage>[0][] }).benchPackedPages!;
		await freshStore('bench-password', LIGHT_KDF);
		const started = performance.now();
		let writing: Promise<void> = Promise.resolve();
		for (const page of pages) {
			const sealed = await sealPullPage(page, {});
			await writing;
			writing = writeSealedPage(sealed);
		}
		await writing;
		const ms = performance.now() - started;
		await wipeStore();
		return { ms };
	},

	/** The floor: those records in plain text, Dexie bulkPut in one transaction, no server, no crypto. */
	async plainPut(): Promise<{ ms: number }> {
		const records = (globalThis as { benchRecords?: Page }).benchRecords!;
		const name = `bench-plain-${crypto.randomUUID()}`;
		const db = new Dexie(name);
		db.version(1).stores({ cases: 'id', persons: 'id, caseId', notes: 'id, caseId', visits: 'id, caseId' });
		await db.open();
		const started = performance.now();
		await db.transaction('rw', [db.table('cases'), db.table('persons'), db.table('notes'), db.table('visits')], async () => {
			await db.table('cases').bulkPut(records.cases);
			await db.table('persons').bulkPut(records.persons);
			await db.table('notes').bulkPut(records.notes);
			await db.table('visits').bulkPut(records.visits);
		});
		const ms = performance.now() - started;
		db.close();
		await Dexie.delete(name);
		return { ms };
	},

	/** Makes a synced store with the shipped KDF parameters and locks it (setup for unlock and search). */
	async prepareSyncedStore(password: string): Promise<void> {
		await freshStore(password, DEFAULT_KDF_PARAMS);
		await syncWithServer();
		preparedStore = currentStoreName();
		lockKeyring();
	},

	/**
	 * Unlock with the shipped parameters: argon2id derivation + AES-KW unwrap. As in the app, the
	 * KDF's memory is committed first, while the unlock screen waits for the password
	 * (`prepareUnlock`, not timed); `cold: true` skips that (a password typed before it is done).
	 */
	async unlock(password: string, cold = false): Promise<{ ms: number }> {
		await openStoreByName(preparedStore!);
		lockKeyring();
		if (!cold) await prepareUnlock();
		const started = performance.now();
		await unlockKeyring(password);
		return { ms: performance.now() - started };
	},

	/**
	 * What the caseload does after unlock: decrypt cases, persons and visits (`listMs`: the list
	 * is shown then), then every note, and build the search index (`ms`: search covers the notes).
	 * `afterSync`: what it does again after a sync that changed one note (not timed: the change),
	 * the values opened before still held; otherwise none is, as just after an unlock.
	 */
	async loadCaseload(afterSync = false): Promise<{ ms: number; listMs: number; notes: number }> {
		if (afterSync) {
			const previous = (globalThis as unknown as { benchState: { notes: Awaited<ReturnType<typeof listNotes>> } }).benchState.notes.items[0];
			await putNotes([{ ...previous, body: `${previous.body ?? ''} (complété)`, version: previous.version + 1 }]);
		} else {
			// An unlock installs the data key, which forgets every value opened before.
			forgetOpenedValues();
		}
		const started = performance.now();
		const caseload = await listCaseload();
		const listMs = performance.now() - started;
		const notes = await listNotes();
		const index = buildCaseSearchIndex(
			caseload.items.map((item) => ({ case: item.case, persons: item.persons, measureLabel: item.case.measureType })),
			notes.items
		);
		const ms = performance.now() - started;
		(globalThis as { benchState?: unknown }).benchState = { caseload, notes, index };
		return { ms, listMs, notes: notes.items.length };
	},

	/** One query over the index built by loadCaseload (what each keystroke costs). */
	search(query: string): { ms: number; matches: number } {
		const { index } = (globalThis as unknown as { benchState: { index: ReturnType<typeof buildCaseSearchIndex> } }).benchState;
		const started = performance.now();
		const matches = searchCaseIndex(index, query);
		return { ms: performance.now() - started, matches: matches.size };
	},

	/**
	 * Building the index from 3,000 decrypted notes, as after an unlock: copies of the notes, so
	 * that none of their normalized texts is known yet (the index keeps them by note object).
	 */
	searchIndex(): { ms: number } {
		const { caseload, notes } = (globalThis as unknown as { benchState: { caseload: Awaited<ReturnType<typeof listCaseload>>; notes: Awaited<ReturnType<typeof listNotes>> } }).benchState;
		const fresh = notes.items.map((note) => ({ ...note }));
		const started = performance.now();
		buildCaseSearchIndex(
			caseload.items.map((item) => ({ case: item.case, persons: item.persons, measureLabel: item.case.measureType })),
			fresh
		);
		return { ms: performance.now() - started };
	},

	async cleanup(): Promise<void> {
		delete (globalThis as { benchState?: unknown }).benchState;
		await wipeStore().catch(() => {});
		for (const info of await indexedDB.databases()) if (info.name) await Dexie.delete(info.name);
	}
};

(globalThis as unknown as { bench: typeof bench }).bench = bench;
document.title = 'bench-ready';
