import { z } from 'zod';
import { noteRecordSchema, type NoteRecord } from '$lib/shared/records';
import type { NotePackRow } from './CarnetDb';
import { forgetOpenedRows } from './openedValues';
import { openRows, sealJsonValues, sealValues, type SealedTable } from './sealedTable';
import { requireDb } from './session';
import { StoreError } from './StoreError';
import { notesTable } from './tables';

/**
 * Notes are stored sealed in packs: the notes of one case that arrived in one pull page share
 * one envelope and one row. A first sync of 3,000 notes then costs about 250 AES-GCM calls and
 * IndexedDB rows instead of 3,000, which is what brings it within 1.5 times a plain-text put
 * (BENCHMARKS.md, twelfth round).
 *
 * - A pack's id is drawn anew each time it is written, and bound into the additional data:
 *   a pack never changes in place, so the same id is the same content.
 * - Its clear fields are those the notes had as rows: `caseId`, and `refs`, one
 *   `noteId|caseId|version` per note, in the pack's order. On read they are recomputed from the
 *   decrypted notes and compared (`sealedTable.ts`), as for any row.
 * - A note that changes or is deleted leaves its old pack: the pack is opened, its other notes
 *   sealed into a new pack, and the old row deleted in the same transaction as the new rows are
 *   written (`NoteWrite`). Nothing of an old version or a deleted note stays on the device.
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
	reportAs: (row) => row.refs.map((ref) => ({ table: 'notes', rowId: parseNoteRef(ref).noteId }))
};

/** A note as sync.pull's packed form gives it: clear fields, and its JSON as UTF-8. */
export type ReceivedNote = { id: string; caseId: string; version: number; json: Uint8Array };

/**
 * A write of notes, sealed and ready: the new packs, and the packs it empties or thins (those
 * holding an earlier version of a written note, or a deleted note) with what remains of them.
 */
export type NoteWrite = {
	/** Every note id written or deleted: any pack still holding one of them is replaced. */
	displaced: string[];
	/** The written notes' packs (they do not depend on what the store holds). */
	packs: NotePackRow[];
	/** Ids of the packs holding displaced notes when this write was prepared. */
	replaced: string[];
	/** Those packs' other notes, sealed in new packs. */
	remainders: NotePackRow[];
};

/** Seals notes (objects) into packs, one per case, and prepares their write. */
export async function sealNotes(notes: readonly NoteRecord[], deletedIds: readonly string[] = []): Promise<NoteWrite> {
	const byCase = Map.groupBy(latestOnly(notes), (note) => note.caseId);
	const packs = await sealValues(notePacksTable, [...byCase.values()].map((list) => ({ id: crypto.randomUUID(), notes: list })));
	return withRemainders({ displaced: [...notes.map((n) => n.id), ...deletedIds], packs, replaced: [], remainders: [] });
}

/** Seals notes received as JSON (sync.pull's packed form) into packs, one per case, without parsing them. */
export async function sealReceivedNotes(notes: readonly ReceivedNote[]): Promise<NoteWrite> {
	const byCase = Map.groupBy(latestOnly(notes), (note) => note.caseId);
	const packs = await sealJsonValues(
		notePacksTable,
		[...byCase].map(([caseId, list]) => {
			const id = crypto.randomUUID();
			return { index: { id, caseId, refs: list.map(noteRef) }, json: packJson(id, list) };
		})
	);
	return withRemainders({ displaced: notes.map((n) => n.id), packs, replaced: [], remainders: [] });
}

/**
 * Writes a prepared note write; call inside a transaction that includes `notePacks`. Returns
 * false, having written nothing, when the packs holding displaced notes are no longer those it
 * was prepared against (another write came between): prepare again with `withRemainders`.
 */
export async function applyNoteWrite(write: NoteWrite): Promise<boolean> {
	const db = requireDb();
	const holding = await packsHolding(write.displaced);
	if (holding.length !== write.replaced.length || holding.some((id) => !write.replaced.includes(id))) return false;
	if (write.replaced.length > 0) await db.notePacks.bulkDelete(write.replaced);
	const rows = write.remainders.length ? [...write.packs, ...write.remainders] : write.packs;
	if (rows.length > 0) await db.notePacks.bulkPut(rows);
	return true;
}

/**
 * Runs `transaction` (which calls `applyNoteWrite` with the write it is given) until the
 * write applies: after a refusal, the remainders are prepared again from the store as it is.
 */
export async function retryingNoteWrite(write: NoteWrite, transaction: (write: NoteWrite) => Promise<boolean>): Promise<void> {
	for (let attempt = 0; ; attempt++) {
		if (await transaction(write)) {
			// After the commit: the replaced packs' notes leave this tab's memory with their rows.
			forgetOpenedRows(notePacksTable.table, write.replaced);
			return;
		}
		if (attempt === 4) throw new StoreError('conflict');
		write = await withRemainders(write);
	}
}

/**
 * Finds the packs holding displaced notes, opens them and seals their other notes anew. Packs
 * that fail to open are quarantined on the way (and reported), so they are not replaced.
 */
export async function withRemainders(write: NoteWrite): Promise<NoteWrite> {
	const ids = await packsHolding(write.displaced);
	if (ids.length === 0) return { ...write, replaced: [], remainders: [] };
	const rows = (await requireDb().notePacks.bulkGet(ids)).filter((row): row is NotePackRow => !!row);
	const { items } = await openRows(notePacksTable, rows);
	const displaced = new Set(write.displaced);
	const kept = items.map((pack) => pack.notes.filter((note) => !displaced.has(note.id))).filter((notes) => notes.length > 0);
	const remainders = await sealValues(notePacksTable, kept.map((notes) => ({ id: crypto.randomUUID(), notes })));
	return { ...write, replaced: items.map((pack) => pack.id), remainders };
}

/**
 * Ids of the packs that hold any of these notes. Reads the clear refs' keys only (no row); the
 * packs themselves are looked up only when a ref matches, which a first sync never has.
 */
async function packsHolding(noteIds: readonly string[]): Promise<string[]> {
	if (noteIds.length === 0) return [];
	const db = requireDb();
	const wanted = new Set(noteIds);
	const refs = (await db.notePacks.orderBy('refs').keys()) as string[];
	const hits = refs.filter((ref) => wanted.has(parseNoteRef(ref).noteId));
	if (hits.length === 0) return [];
	return [...new Set((await db.notePacks.where('refs').anyOf(hits).primaryKeys()) as string[])];
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

/** Notes per case, from the clear refs' keys (no row read, nothing decrypted). */
export async function countNotesByCase(): Promise<Map<string, number>> {
	const refs = (await requireDb().notePacks.orderBy('refs').keys()) as string[];
	const noteIds = new Map<string, Set<string>>();
	for (const ref of refs) {
		const { noteId, caseId } = parseNoteRef(ref);
		let ids = noteIds.get(caseId);
		if (!ids) noteIds.set(caseId, (ids = new Set()));
		ids.add(noteId);
	}
	return new Map([...noteIds].map(([caseId, ids]) => [caseId, ids.size]));
}

/**
 * Moves the notes a version-1 store kept one per row into packs: after the data key is
 * installed, once. Rows that fail to open are quarantined as usual; the others are written as
 * packs and their rows deleted in one transaction.
 */
export async function migrateNoteRows(): Promise<number> {
	const db = requireDb();
	if ((await db.notes.count()) === 0) return 0;
	const rows = await db.notes.toArray();
	const { items } = await openRows(notesTable, rows);
	const write = await sealNotes(items);
	const keys = rows.map((row) => row.id);
	await retryingNoteWrite(write, (w) =>
		db.transaction('rw', [db.notes, db.notePacks], async () => {
			if (!(await applyNoteWrite(w))) return false;
			await db.notes.bulkDelete(keys);
			return true;
		})
	);
	return items.length;
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
