import { bindingAad, type Envelope, type RecordBinding } from './envelope';

const IV_BYTES = 12;
/** `crypto.getRandomValues` fills at most 65,536 bytes per call. */
const IVS_PER_DRAW = Math.floor(65_536 / IV_BYTES);
const encoder = new TextEncoder();

/**
 * Encrypts many values, each into its own envelope, exactly as `encryptRecord` would one by one
 * (AES-256-GCM, a fresh random 96-bit IV per value, additional data `table|id|schemaVersion` of
 * its own binding, plaintext = UTF-8 JSON of the value). Only the work around the cipher is
 * shared: the IVs come from the CSPRNG in a few draws (each copied into its own 12 bytes), and
 * one TextEncoder serves every text.
 *
 * @param dataKey the unlocked data key (AES-GCM).
 * @param items one binding and one JSON-serialisable value per row.
 * @returns one envelope per item, in the same order.
 */
export function encryptRecords(dataKey: CryptoKey, items: readonly { binding: RecordBinding; value: unknown }[]): Promise<Envelope[]> {
	return sealAll(dataKey, items, (item) => encoder.encode(JSON.stringify(item.value)));
}

/**
 * Like `encryptRecords`, for values that arrive already as UTF-8 JSON (sync.pull's packed
 * records): the bytes are encrypted as given, without a parse and a re-serialisation. They are
 * not checked here; whoever decrypts validates the value (`decryptRecord` parses it, the store
 * checks its schema and its clear fields).
 *
 * @param items one binding and the UTF-8 JSON bytes of one value per row.
 */
export function encryptJsonRecords(
	dataKey: CryptoKey,
	items: readonly { binding: RecordBinding; json: Uint8Array<ArrayBuffer> }[]
): Promise<Envelope[]> {
	return sealAll(dataKey, items, (item) => item.json);
}

async function sealAll<Item extends { binding: RecordBinding }>(
	dataKey: CryptoKey,
	items: readonly Item[],
	plaintext: (item: Item) => Uint8Array<ArrayBuffer>
): Promise<Envelope[]> {
	const count = items.length;
	if (count === 0) return [];
	const ivs: Uint8Array<ArrayBuffer>[] = new Array(count);
	for (let start = 0; start < count; start += IVS_PER_DRAW) {
		const end = Math.min(count, start + IVS_PER_DRAW);
		const drawn = crypto.getRandomValues(new Uint8Array((end - start) * IV_BYTES));
		// slice(), not subarray(): each envelope keeps its own 12-byte buffer (IndexedDB would clone a shared one whole).
		for (let i = start; i < end; i++) ivs[i] = drawn.slice((i - start) * IV_BYTES, (i - start + 1) * IV_BYTES);
	}
	const cts = await Promise.all(
		items.map((item, i) =>
			crypto.subtle.encrypt({ name: 'AES-GCM', iv: ivs[i], additionalData: encoder.encode(bindingAad(item.binding)) }, dataKey, plaintext(item))
		)
	);
	return cts.map((ct, i) => ({ v: 1, iv: ivs[i], ct: new Uint8Array(ct) }));
}
