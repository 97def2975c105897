/**
 * An encrypted value as stored in IndexedDB. Binary fields are `Uint8Array`s, kept as such by
 * IndexedDB's structured clone (no base64: a third smaller, and nothing to parse).
 *
 * - `v`: envelope version; 1 = AES-256-GCM, 96-bit random IV, 128-bit tag appended to `ct`,
 *   additional data `table|id|schemaVersion` (UTF-8), plaintext = UTF-8 JSON of the value.
 * - `iv`: 12 bytes.
 * - `ct`: ciphertext followed by the 16-byte tag.
 */
export type Envelope = {
	v: 1;
	iv: Uint8Array<ArrayBuffer>;
	ct: Uint8Array<ArrayBuffer>;
};

/**
 * What a ciphertext is bound to. Decrypting it under any other binding fails, so a ciphertext
 * copied to another row, another table or another schema version is refused.
 *
 * - `table`: store name, e.g. `notes`.
 * - `id`: the row's primary key, as a string.
 * - `schemaVersion`: version of the plaintext's shape (an integer).
 */
export type RecordBinding = {
	table: string;
	id: string;
	schemaVersion: number;
};

/** The exact additional authenticated data string of a binding. */
export function bindingAad(binding: RecordBinding): string {
	return `${binding.table}|${binding.id}|${binding.schemaVersion}`;
}
