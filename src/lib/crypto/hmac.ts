import { hexToBytes, bytesToHex, utf8Bytes } from './encoding';
import { CryptoError } from './CryptoError';

/**
 * Imports the per-device journal secret issued by the server.
 *
 * @param secretHex 32 bytes as 64 hex characters.
 * @returns a non-extractable HMAC-SHA256 key, usable only to sign.
 */
export async function importJournalSecret(secretHex: string): Promise<CryptoKey> {
	const raw = hexToBytes(secretHex);
	if (raw.length !== 32) throw new CryptoError('invalid-input');
	return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/**
 * HMAC-SHA256 of a message.
 *
 * @param key from `importJournalSecret`.
 * @param message a string, signed as its UTF-8 bytes.
 * @returns the MAC as 64 lowercase hex characters.
 */
export async function hmacHex(key: CryptoKey, message: string): Promise<string> {
	return bytesToHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8Bytes(message))));
}
