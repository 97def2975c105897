import { Dexie, type EntityTable } from 'dexie';
import type { Envelope, KdfParams } from '$lib/crypto';

/**
 * The device database: one per user per browser profile. Rows hold opaque ids, sync metadata
 * and ciphertext only; every field that says something about a person is inside `ct`.
 * Schema versions are numbered and never edited: add `this.version(2)` below for a change.
 */
export class CarnetDb extends Dexie {
	keyring!: EntityTable<KeyringRow, 'id'>;
	cases!: EntityTable<CaseRow, 'id'>;
	persons!: EntityTable<CaseChildRow, 'id'>;
	/** Version 1's one row per note; moved into `notePacks` before the first read or write of notes (`notePacks.ts`). */
	notes!: EntityTable<CaseChildRow, 'id'>;
	notePacks!: EntityTable<NotePackRow, 'id'>;
	visits!: EntityTable<CaseChildRow, 'id'>;
	drafts!: EntityTable<DraftRow, 'id'>;
	outbox!: EntityTable<OutboxRow, 'seq'>;
	journal!: EntityTable<JournalRow, 'seq'>;
	meta!: EntityTable<MetaRow, 'key'>;
	quarantine!: EntityTable<QuarantineRow, 'key'>;

	constructor(name: string) {
		// Without Dexie's liveQuery machinery, which nothing here uses: its middlewares record the
		// key ranges every write touches (each note pack's refs included) and keep a cache for
		// live queries; the first sync's writes cost about 5% less without them (BENCHMARKS.md,
		// twelfth round). A liveQuery added later needs them back.
		super(name, { cache: 'disabled' });
		this.unuse({ stack: 'dbcore', name: 'Observability' });
		this.version(1).stores({
			keyring: 'id',
			cases: 'id',
			persons: 'id, caseId',
			notes: 'id, caseId',
			visits: 'id, caseId',
			drafts: 'id, caseId',
			outbox: '++seq, &id, caseId',
			journal: 'seq',
			meta: 'key',
			quarantine: 'key, table'
		});
		// Notes sealed in packs, several notes of one case per row (notePacks.ts). `refs` lists
		// the clear index of each note of the pack (`noteId|caseId|version`).
		this.version(2).stores({ notePacks: 'id, caseId, *refs' });
	}
}

/** Envelope fields plus `sv`, the schema version of the plaintext (part of the additional data). */
export type SealedFields = Envelope & { sv: number };

export type KeyringRow = {
	id: 'current';
	/** The data key wrapped with AES-KW (40 bytes). */
	wrappedKey: Uint8Array<ArrayBuffer>;
	salt: Uint8Array<ArrayBuffer>;
	kdf: KdfParams;
	/** ISO time of the last (re)wrap. */
	wrappedAt: string;
};

export type CaseRow = SealedFields & { id: string; version: number };
export type CaseChildRow = SealedFields & { id: string; caseId: string; version: number };
/** Notes of one case sealed together; `id` is drawn anew at each write of the pack. */
export type NotePackRow = SealedFields & { id: string; caseId: string; refs: string[] };
export type DraftRow = SealedFields & { id: string; caseId: string };
export type OutboxRow = SealedFields & { seq?: number; id: string; caseId: string | null };
export type JournalRow = SealedFields & { seq: number };
/** Either a sealed value, or (`failedUnlocks` only, read while locked) a clear number. */
export type MetaRow = { key: string } & (SealedFields | { clear: number });
export type QuarantineRow = {
	/** `table:primaryKey`. */
	key: string;
	table: string;
	rowId: string;
	reason: string;
	at: string;
	/** The row as it was found, ciphertext included, for a later diagnosis. */
	row: unknown;
};
