import { CryptoError } from './CryptoError';
import { utf8Bytes } from './encoding';
import { bindingAad, type Envelope, type RecordBinding } from './envelope';

/**
 * Decrypts an envelope written by `encryptRecord` for the same binding.
 *
 * @param dataKey the unlocked data key (AES-GCM).
 * @param binding must equal the one used to encrypt (table, id, schema version).
 * @param envelope as read from IndexedDB.
 * @returns the parsed JSON value, unvalidated: callers check its shape.
 * @throws `CryptoError('decrypt-failure')` if the key, IV, ciphertext, tag or binding differ;
 *   `CryptoError('unsupported-envelope')` for an unknown `v`.
 */
export async function decryptRecord(dataKey: CryptoKey, binding: RecordBinding, envelope: Envelope): Promise<unknown> {
	if (envelope?.v !== 1) throw new CryptoError('unsupported-envelope');
	if (!(envelope.iv instanceof Uint8Array) || envelope.iv.length !== 12 || !(envelope.ct instanceof Uint8Array)) {
		throw new CryptoError('decrypt-failure');
	}
	let plaintext: ArrayBuffer;
	try {
		plaintext = await crypto.subtle.decrypt(
			{ name: 'AES-GCM', iv: envelope.iv, additionalData: utf8Bytes(bindingAad(binding)) },
			dataKey,
			envelope.ct
		);
	} catch (cause) {
		throw new CryptoError('decrypt-failure', { cause });
	}
	try {
		return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
	} catch (cause) {
		// Authentic but unparsable: written by a buggy build. Same outcome for the caller.
		throw new CryptoError('decrypt-failure', { cause });
	}
}
