import { utf8Bytes } from './encoding';
import { bindingAad, type Envelope, type RecordBinding } from './envelope';

/**
 * Encrypts a value for one row.
 *
 * @param dataKey the unlocked data key (AES-GCM).
 * @param binding table, id and schema version the ciphertext is bound to (additional data).
 * @param value any JSON-serialisable value; `undefined` fields are dropped, as by `JSON.stringify`.
 * @returns a fresh envelope (new random IV on every call).
 */
export async function encryptRecord(dataKey: CryptoKey, binding: RecordBinding, value: unknown): Promise<Envelope> {
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const ct = await crypto.subtle.encrypt(
		{ name: 'AES-GCM', iv, additionalData: utf8Bytes(bindingAad(binding)) },
		dataKey,
		utf8Bytes(JSON.stringify(value))
	);
	return { v: 1, iv, ct: new Uint8Array(ct) };
}
