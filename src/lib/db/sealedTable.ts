import type { z } from 'zod';
import { decryptRecord, encryptJsonRecords, encryptRecord, encryptRecords } from '$lib/crypto';
import type { SealedFields } from './CarnetDb';
import { openedValue, rememberOpened } from './openedValues';
import { quarantineRows, type RecordFailure, type QuarantineReason } from './quarantine';
import { requireDataKey } from './session';

/**
 * How one table's values become rows and back. `index` computes the clear fields of a row from
 * its value; on read they are recomputed from the decrypted value and must match the row, so a
 * ciphertext put back under newer metadata (a replayed old version) or a row re-labelled with
 * another caseId is caught, although only `table|id|schemaVersion` is in the additional data.
 */
export type SealedTable<T, Index extends Record<string, unknown>> = {
	table: string;
	schemaVersion: number;
	schema: z.ZodType<T>;
	index: (value: T) => Index;
	/** The id bound into the additional data, from the row's clear fields. */
	bindingId: (index: Index) => string;
	/** The row's primary key, to quarantine it. */
	primaryKey: (row: Index) => string | number;
	/**
	 * Keep opened values while unlocked (`openedValues.ts`): a row opened again unchanged is not
	 * decrypted again. For the tables the caseload opens whole after every sync.
	 */
	keepOpened?: boolean;
	/**
	 * What a failed row is reported as, from its clear fields (the quarantine row stays one per
	 * row): the notes of a note pack, so that the UI counts notes. Default: the row itself.
	 */
	reportAs?: (row: Index) => { table: string; rowId: string }[];
	/** Called in the quarantine's transaction (which includes `meta`) after rows were moved out. */
	rowsRemoved?: () => Promise<void>;
};

export type Opened<T> = { items: T[]; failures: RecordFailure[] };

/** Encrypts a value into a row. Call before the write transaction: WebCrypto is not IndexedDB-aware. */
export async function sealValue<T, Index extends Record<string, unknown>>(
	spec: SealedTable<T, Index>,
	value: T
): Promise<Index & SealedFields> {
	const index = spec.index(value);
	const binding = { table: spec.table, id: spec.bindingId(index), schemaVersion: spec.schemaVersion };
	const envelope = await encryptRecord(requireDataKey(), binding, value);
	return { ...index, sv: spec.schemaVersion, ...envelope };
}

/** Encrypts values into rows, like `sealValue` for each, with the work around the cipher shared. */
export async function sealValues<T, Index extends Record<string, unknown>>(
	spec: SealedTable<T, Index>,
	values: readonly T[]
): Promise<(Index & SealedFields)[]> {
	const indexes = values.map((value) => spec.index(value));
	const envelopes = await encryptRecords(
		requireDataKey(),
		values.map((value, i) => ({ binding: { table: spec.table, id: spec.bindingId(indexes[i]), schemaVersion: spec.schemaVersion }, value }))
	);
	return envelopes.map((envelope, i) => ({ ...indexes[i], sv: spec.schemaVersion, ...envelope }));
}

/**
 * Rows from values that arrive as UTF-8 JSON with their clear fields beside them (sync.pull's
 * packed records): encrypted as given. On read the value is parsed, checked against the schema,
 * and its clear fields recomputed and compared with the row's, as for any row.
 */
export async function sealJsonValues<T, Index extends Record<string, unknown>>(
	spec: SealedTable<T, Index>,
	items: readonly { index: Index; json: Uint8Array<ArrayBuffer> }[]
): Promise<(Index & SealedFields)[]> {
	const envelopes = await encryptJsonRecords(
		requireDataKey(),
		items.map((item) => ({ binding: { table: spec.table, id: spec.bindingId(item.index), schemaVersion: spec.schemaVersion }, json: item.json }))
	);
	return envelopes.map((envelope, i) => ({ ...items[i].index, sv: spec.schemaVersion, ...envelope }));
}

/**
 * Decrypts rows. Rows that fail are moved to the quarantine table and reported in `failures`;
 * the others are returned, in the given order. With `spec.keepOpened`, a row opened before and
 * unchanged since gives the same (frozen) value without a decryption.
 */
export async function openRows<T, Index extends Record<string, unknown>>(
	spec: SealedTable<T, Index>,
	rows: (Index & SealedFields)[]
): Promise<Opened<T>> {
	const key = requireDataKey();
	const outcomes = await Promise.all(
		rows.map(async (row): Promise<{ value: T } | { reason: QuarantineReason }> => {
			const primaryKey = spec.keepOpened ? spec.primaryKey(row) : null;
			if (primaryKey !== null) {
				const known = openedValue(spec.table, primaryKey, row);
				if (known !== undefined) return { value: known as T };
			}
			let plain: unknown;
			try {
				const binding = { table: spec.table, id: spec.bindingId(row), schemaVersion: row.sv };
				plain = await decryptRecord(key, binding, row);
			} catch {
				return { reason: 'decrypt-failure' };
			}
			const parsed = spec.schema.safeParse(plain);
			if (!parsed.success || row.sv !== spec.schemaVersion) return { reason: 'invalid' };
			const expected = spec.index(parsed.data);
			for (const [field, value] of Object.entries(expected)) {
				if (!sameClearField((row as Record<string, unknown>)[field], value)) return { reason: 'index-mismatch' };
			}
			return { value: primaryKey === null ? parsed.data : rememberOpened(spec.table, primaryKey, row, parsed.data) };
		})
	);
	const items: T[] = [];
	const failed: { row: Index & SealedFields; reason: QuarantineReason }[] = [];
	outcomes.forEach((outcome, i) => {
		if ('value' in outcome) items.push(outcome.value);
		else failed.push({ row: rows[i], reason: outcome.reason });
	});
	const failures = failed.length ? await quarantineRows(spec, failed) : [];
	return { items, failures };
}

/** Opens one row; `null` when absent or quarantined (the quarantine listeners are told). */
export async function openRow<T, Index extends Record<string, unknown>>(
	spec: SealedTable<T, Index>,
	row: (Index & SealedFields) | undefined
): Promise<T | null> {
	requireDataKey(); // locked: no answer, not even "absent"
	if (!row) return null;
	return (await openRows(spec, [row])).items[0] ?? null;
}

/** A clear field as stored against the one recomputed from the value: primitives, or arrays of them. */
function sameClearField(stored: unknown, expected: unknown): boolean {
	if (!Array.isArray(expected)) return stored === expected;
	return Array.isArray(stored) && stored.length === expected.length && stored.every((item, i) => item === expected[i]);
}
