import type { SealedFields } from './CarnetDb';

/**
 * Values already decrypted while unlocked, by table and primary key, each with the exact row it
 * was opened from. Opening a row again that is byte for byte the same (clear fields, schema
 * version, IV and ciphertext) gives the value without decrypting it again: the caseload opens
 * every note after each sync that changed the store, and most of them have not changed.
 *
 * The answer is the one a decryption would give, since AES-GCM under the same key is
 * deterministic: a row changed in any byte (a new version from the server, a tampered
 * ciphertext, a row moved under another case) is not a hit, and is decrypted and checked as
 * usual. Values are frozen, so that no caller can change what another one is given.
 *
 * Held in memory only, and forgotten with the data key (lock, sign-out, another key), when
 * rows are deleted (revoked cases, tombstones, quarantine) and when the store is wiped: what
 * leaves the device does not stay in this tab either.
 */
const opened = new Map<string, Map<string | number, { row: SealedFields; value: unknown }>>();

/** The value opened earlier from this very row, if any. */
export function openedValue(table: string, primaryKey: string | number, row: SealedFields): unknown | undefined {
	const entry = opened.get(table)?.get(primaryKey);
	return entry && sameRow(entry.row, row) ? entry.value : undefined;
}

/** Remembers the value a row opened to (checked: schema, clear fields); returns it frozen. */
export function rememberOpened<T>(table: string, primaryKey: string | number, row: SealedFields, value: T): T {
	let byKey = opened.get(table);
	if (!byKey) opened.set(table, (byKey = new Map()));
	const frozen = deepFreeze(value);
	byKey.set(primaryKey, { row, value: frozen });
	return frozen;
}

/** Forgets every value (lock, key change, deletions, wipe). */
export function forgetOpenedValues(): void {
	opened.clear();
}

/** Forgets the values of these rows (rows deleted or replaced). */
export function forgetOpenedRows(table: string, primaryKeys: readonly (string | number)[]): void {
	const byKey = opened.get(table);
	if (byKey) for (const key of primaryKeys) byKey.delete(key);
}

/** How many values are held (tests). */
export function openedValueCount(): number {
	let count = 0;
	for (const byKey of opened.values()) count += byKey.size;
	return count;
}

/** Same own fields, same primitives, same bytes, same arrays of primitives. */
function sameRow(a: SealedFields, b: SealedFields): boolean {
	const keysA = Object.keys(a);
	if (keysA.length !== Object.keys(b).length) return false;
	for (const key of keysA) {
		const x = (a as Record<string, unknown>)[key];
		const y = (b as Record<string, unknown>)[key];
		if (x instanceof Uint8Array || y instanceof Uint8Array) {
			if (!(x instanceof Uint8Array && y instanceof Uint8Array && sameBytes(x, y))) return false;
		} else if (Array.isArray(x) || Array.isArray(y)) {
			// A note pack's refs: primitives.
			if (!(Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((item, i) => item === y[i]))) return false;
		} else if (x !== y) return false;
	}
	return true;
}

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
	if (!a || a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const child of Object.values(value)) deepFreeze(child);
	}
	return value;
}
