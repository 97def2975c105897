import { z } from 'zod';
import { noteRecordSchema, type NoteRecord } from '$lib/shared/records';
import type { CarnetDb, MetaRow, NotePackRow } from './CarnetDb';
import { forgetOpenedRows } from './openedValues';
import { openRows, sealJsonValues, sealValues, type SealedTable } from './sealedTable';
import { requireDataKey, requireDb } from './session';
import { StoreError } from './StoreError';
import { notesTable } from './tables';

/**
 * Notes are stored sealed in packs: the notes of one case that arrived in one pull page share
 * one envelope and one row. The bench's first sync of 3,360 notes in 60 cases then writes 60
 * note rows (each case's notes fell in one page; at most one row per case and page) and makes as
 * many AES-GCM calls, instead of 3,360: what brings it within 1.5 times a plain-text put
 * (BENCHMARKS.md, twelfth round).
 *
 * - A pack's id is drawn anew each time it is written, and bound into the additional data:
 *   a pack never changes in place, so the same id is the same content.
 * - Its clear fields are those the notes had as rows: `caseId`, and `refs`, one
 *   `noteId|caseId|version` per note, in the pack's order. On read they are recomputed from the
 *   decrypted notes and compared (`sealedTable.ts`), as for any row.
 * - A note that changes or is deleted leaves its old pack: the pack is opened, its other notes
 *   sealed into a new pack, and the old row deleted in the same transaction as the new rows are
 *   written (`writeNotes`). Nothing of an old version or a deleted note stays on the device.
 * - A damaged pack is quarantined whole; each of its notes is reported (the UI counts notes).
 */

export type NotePack = { id: string; notes: NoteRecord[] };

const notePackSchema = z
	.object({ id: z.uuid(), notes: z.array(noteRecordSchema).min(1) })
	.refine((pack) => pack.notes.every((note) => note.caseId === pack.notes[0].caseId), 'notes of several cases')
	.refine((pack) => new Set(pack.notes.map((note) => note.id)).size === pack.notes.length, 'a note twice');

type NotePackIndex = Pick<NotePackRow, 'id' | 'caseId' | 'refs'>;

export const noteRef = (note: { id: string; caseId: string; version: number }) => `${note.id}|${note.caseId}|${note.version}`;
/** The note id and case id of a ref. */
export const parseNoteRef = (ref: string) => {
	const [noteId, caseId] = ref.split('|');
	return { noteId, caseId };
};

export const notePacksTable: SealedTable<NotePack, NotePackIndex> = {
	table: 'notePacks',
	schemaVersion: 1,
	schema: notePackSchema,
	index: (pack) => ({ id: pack.id, caseId: pack.notes[0].caseId, refs: pack.notes.map(noteRef) }),
	bindingId: (index) => index.id,
	primaryKey: (row) => row.id,
	keepOpened: true,
	reportAs: (row) => row.refs.map((ref) => ({ table: 'notes', rowId: parseNoteRef(ref).noteId })),
	// The map of where notes are (counts included) follows.
	rowsRemoved: () => notePacksChanged()
};

/** A note as sync.pull's packed form gives it: clear fields, and its JSON as UTF-8. */
export type ReceivedNote = { id: string; caseId: string; version: number; json: Uint8Array };

/**
 * Notes sealed into packs, ready to be written by `writeNotes`. Sealing does not depend on what
 * the store holds, so a sync seals a page while the previous one is being written.
 */
export type NoteWrite = {
	/** Every note id written or deleted: any pack still holding one of them is replaced. */
	displaced: string[];
	packs: NotePackRow[];
};

/** Seals notes (objects) into packs, one per case; `deletedIds`: notes to remove. */
export async function sealNotes(notes: readonly NoteRecord[], deletedIds: readonly string[] = []): Promise<NoteWrite> {
	const latest = latestOnly(notes);
	const byCase = Map.groupBy(latest, (note) => note.caseId);
	const packs = await sealValues(notePacksTable, [...byCase.values()].map((list) => ({ id: crypto.randomUUID(), notes: list })));
	return { displaced: [...latest.map((n) => n.id), ...deletedIds], packs };
}

/** Seals notes received as JSON (sync.pull's packed form) into packs, one per case, without parsing them. */
export async function sealReceivedNotes(notes: readonly ReceivedNote[]): Promise<NoteWrite> {
	const latest = latestOnly(notes);
	const byCase = Map.groupBy(latest, (note) => note.caseId);
	const packs = await sealJsonValues(
		notePacksTable,
		[...byCase].map(([caseId, list]) => {
			const id = crypto.randomUUID();
			return { index: { id, caseId, refs: list.map(noteRef) }, json: packJson(id, list) };
		})
	);
	return { displaced: latest.map((n) => n.id), packs };
}

/**
 * Writes sealed notes. `transaction` opens the IndexedDB transaction (with `notePacks` and
 * `meta`, and whatever else the caller writes with the notes) and calls `apply` in it first:
 * when `apply` answers false, the caller writes nothing and returns false.
 *
 * Which packs hold the displaced notes is known from an in-memory map of the clear refs, kept
 * per store and checked against a counter that every write of packs increments in its own
 * transaction (`meta` row `notePacksGeneration`, clear): another tab's write, or this tab's
 * between the preparation and the transaction, makes `apply` refuse; the map is then read
 * again from the store and the write prepared again. A first sync never reads the map back:
 * each page's write keeps it current.
 */
export async function writeNotes(write: NoteWrite, transaction: (apply: () => Promise<boolean>) => Promise<boolean>): Promise<void> {
	const db = requireDb();
	for (let attempt = 0; ; attempt++) {
		const locations = await currentLocations(db);
		const { replaced, remainders } = await prepareRemainders(write.displaced, locations);
		const rows = remainders.length ? [...write.packs, ...remainders] : write.packs;
		const applied = await transaction(async () => {
			if ((await readGeneration(db)) !== locations.generation) return false;
			if (replaced.length > 0) await db.notePacks.bulkDelete(replaced);
			if (rows.length > 0) await db.notePacks.bulkPut(rows);
			await db.meta.put(generationRow(locations.generation + 1));
			return true;
		});
		if (applied) {
			// Committed: the map follows, and the replaced packs' notes leave this tab's memory.
			for (const id of replaced) locations.forget(id);
			for (const row of rows) locations.add(row.id, row.refs);
			locations.generation++;
			forgetOpenedRows(notePacksTable.table, replaced);
			return;
		}
		if (attempt === 4) throw new StoreError('conflict');
	}
}

/** Marks the packs changed by a write that does not go through `writeNotes` (deleted cases, quarantine). */
export async function notePacksChanged(): Promise<void> {
	const db = requireDb();
	await db.meta.put(generationRow((await readGeneration(db)) + 1));
}

const GENERATION_KEY = 'notePacksGeneration';

const generationRow = (generation: number): MetaRow => ({ key: GENERATION_KEY, clear: generation });

async function readGeneration(db: CarnetDb): Promise<number> {
	const row = await db.meta.get(GENERATION_KEY);
	return row && 'clear' in row ? row.clear : 0;
}

/** Which packs hold which notes, from the clear refs, as of `generation`. */
class NoteLocations {
	readonly #packsOf = new Map<string, Set<string>>();
	readonly #notesOf = new Map<string, string[]>();
	readonly #caseOf = new Map<string, string>();
	constructor(public generation: number) {}

	add(packId: string, refs: readonly string[]): void {
		const parsed = refs.map(parseNoteRef);
		const noteIds = parsed.map((ref) => ref.noteId);
		this.#notesOf.set(packId, noteIds);
		if (parsed.length > 0) this.#caseOf.set(packId, parsed[0].caseId);
		for (const noteId of noteIds) {
			const packs = this.#packsOf.get(noteId);
			if (packs) packs.add(packId);
			else this.#packsOf.set(noteId, new Set([packId]));
		}
	}

	forget(packId: string): void {
		for (const noteId of this.#notesOf.get(packId) ?? []) {
			const packs = this.#packsOf.get(noteId);
			packs?.delete(packId);
			if (packs?.size === 0) this.#packsOf.delete(noteId);
		}
		this.#notesOf.delete(packId);
		this.#caseOf.delete(packId);
	}

	/** Notes per case, each note once (a note found in two packs counts once). */
	countByCase(): Map<string, number> {
		const counts = new Map<string, number>();
		for (const packs of this.#packsOf.values()) {
			const caseId = this.#caseOf.get(packs.values().next().value!);
			if (caseId !== undefined) counts.set(caseId, (counts.get(caseId) ?? 0) + 1);
		}
		return counts;
	}

	packsHolding(noteIds: readonly string[]): string[] {
		const found = new Set<string>();
		for (const noteId of noteIds) for (const packId of this.#packsOf.get(noteId) ?? []) found.add(packId);
		return [...found];
	}
}

const locationsByStore = new WeakMap<CarnetDb, NoteLocations>();

/** The store's map, read again (index keys only, no row) when another write came since. */
async function currentLocations(db: CarnetDb): Promise<NoteLocations> {
	const known = locationsByStore.get(db);
	if (known && known.generation === (await readGeneration(db))) return known;
	const fresh = await db.transaction('r', [db.meta, db.notePacks], async () => {
		const byPack = new Map<string, string[]>();
		await db.notePacks.orderBy('refs').eachKey((ref, cursor) => {
			const packId = cursor.primaryKey as string;
			const refs = byPack.get(packId);
			if (refs) refs.push(ref as string);
			else byPack.set(packId, [ref as string]);
		});
		const locations = new NoteLocations(await readGeneration(db));
		for (const [packId, refs] of byPack) locations.add(packId, refs);
		return locations;
	});
	locationsByStore.set(db, fresh);
	return fresh;
}

/**
 * Opens the packs holding displaced notes and seals their other notes anew. Packs that fail to
 * open are quarantined on the way (and reported), so they are not replaced.
 */
async function prepareRemainders(displacedIds: readonly string[], locations: NoteLocations): Promise<{ replaced: string[]; remainders: NotePackRow[] }> {
	const ids = locations.packsHolding(displacedIds);
	if (ids.length === 0) return { replaced: [], remainders: [] };
	const rows = (await requireDb().notePacks.bulkGet(ids)).filter((row): row is NotePackRow => !!row);
	const { items } = await openRows(notePacksTable, rows);
	const displaced = new Set(displacedIds);
	const kept = items.map((pack) => pack.notes.filter((note) => !displaced.has(note.id))).filter((notes) => notes.length > 0);
	const remainders = await sealValues(notePacksTable, kept.map((notes) => ({ id: crypto.randomUUID(), notes })));
	return { replaced: items.map((pack) => pack.id), remainders };
}

/** The notes of opened packs; a note found in two packs (a pack put back whole) counts once, its latest version. */
export function notesOfPacks(packs: readonly NotePack[]): NoteRecord[] {
	return latestOnly(packs.flatMap((pack) => pack.notes));
}

/** Each note once, in its latest version: a write given a note twice, or packs read together. */
function latestOnly<N extends { id: string; version: number }>(notes: readonly N[]): N[] {
	const latest = new Map<string, N>();
	for (const note of notes) {
		const known = latest.get(note.id);
		if (!known || known.version <= note.version) latest.set(note.id, note);
	}
	return latest.size === notes.length ? [...notes] : [...latest.values()];
}

/**
 * Notes per case, from the clear refs (no pack read, nothing decrypted): the store's map of
 * where notes are, read from the index keys only when another write came since it was built.
 */
export async function countNotesByCase(): Promise<Map<string, number>> {
	return (await currentLocations(requireDb())).countByCase();
}

const migrations = new WeakMap<CarnetDb, Promise<void>>();

/**
 * Moves the notes a version-1 store kept one per row into packs, once per connection, before
 * the first read or write of notes (it needs the data key, so it cannot be a Dexie upgrade).
 * Rows that fail to open are quarantined as usual; the others are written as packs and their
 * rows deleted in one transaction. A failure is logged and tried again at the next call: the
 * rows stay where they were (not shown until moved); it is not the user's to handle.
 */
export function notesMigrated(): Promise<void> {
	const db = requireDb();
	requireDataKey(); // locked: refused as any read
	let done = migrations.get(db);
	if (!done) {
		done = migrateNoteRows(db).catch((error: unknown) => {
			migrations.delete(db);
			console.error('moving notes into packs failed; tried again at the next read', error);
		});
		migrations.set(db, done);
	}
	return done;
}

async function migrateNoteRows(db: CarnetDb): Promise<void> {
	if ((await db.notes.count()) === 0) return;
	const rows = await db.notes.toArray();
	const { items } = await openRows(notesTable, rows);
	const keys = rows.map((row) => row.id);
	await writeNotes(await sealNotes(items), (apply) =>
		db.transaction('rw', [db.notes, db.notePacks, db.meta], async () => {
			if (!(await apply())) return false;
			await db.notes.bulkDelete(keys);
			return true;
		})
	);
}

const utf8 = new TextEncoder();

/** `{"id":"…","notes":[…]}` from the notes' JSON bytes as received: no parse, no re-encoding. */
function packJson(id: string, notes: readonly ReceivedNote[]): Uint8Array<ArrayBuffer> {
	const head = utf8.encode(`{"id":${JSON.stringify(id)},"notes":[`);
	const out = new Uint8Array(notes.reduce((n, note) => n + note.json.length + 1, head.length + 1)); // commas between, "]}" after
	out.set(head, 0);
	let at = head.length;
	notes.forEach((note, i) => {
		if (i > 0) out[at++] = 0x2c; // ,
		out.set(note.json, at);
		at += note.json.length;
	});
	out[at++] = 0x5d; // ]
	out[at] = 0x7d; // }
	return out;
}
