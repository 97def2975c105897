import { encryptJsonRecords } from '$lib/crypto/encryptRecords';
import type { PackedRecord, PackedRecords } from '$lib/shared/sync';
import type { CaseChildRow, CaseRow } from './CarnetDb';
import { syncedTables } from './syncedTables';

const encoder = new TextEncoder();

/** A pull page's records encrypted into rows, ready for the store (no meta rows). */
export type SealedRecords = {
	cases: CaseRow[];
	persons: CaseChildRow[];
	notes: CaseChildRow[];
	visits: CaseChildRow[];
};

/**
 * Encrypts sync.pull's packed records (asked with `packed: 'json'`) into the rows of the four
 * synced tables: each record's JSON text as it came, encrypted as its UTF-8 bytes, bound to
 * `table|id|schemaVersion`, its clear fields beside (what `sealValues` makes of the same records
 * as objects). The bytes are not parsed here:
 * whoever decrypts a row parses it, checks its schema and recomputes its clear fields.
 *
 * Pure (no store, no session): the page-sealing worker runs it as well as the main thread.
 *
 * @param dataKey the unlocked data key (AES-GCM).
 */
export async function sealPackedRecords(dataKey: CryptoKey, packed: PackedRecords): Promise<SealedRecords> {
	const seal = async <Row>(kind: keyof typeof syncedTables, records: PackedRecord[], index: (r: PackedRecord) => Omit<Row, 'sv' | 'v' | 'iv' | 'ct'>) => {
		const { table, schemaVersion } = syncedTables[kind];
		const envelopes = await encryptJsonRecords(
			dataKey,
			records.map((r) => ({ binding: { table, id: r.id, schemaVersion }, json: encoder.encode(r.json) }))
		);
		return envelopes.map((envelope, i) => ({ ...index(records[i]), sv: schemaVersion, ...envelope }) as Row);
	};
	const caseIndex = (r: PackedRecord) => ({ id: r.id, version: r.version });
	const childIndex = (r: PackedRecord) => ({ id: r.id, caseId: r.caseId, version: r.version });
	const [cases, persons, notes, visits] = await Promise.all([
		seal<CaseRow>('cases', packed.cases, caseIndex),
		seal<CaseChildRow>('persons', packed.persons, childIndex),
		seal<CaseChildRow>('notes', packed.notes, childIndex),
		seal<CaseChildRow>('visits', packed.visits, childIndex)
	]);
	return { cases, persons, notes, visits };
}
