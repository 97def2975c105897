import { bytesToHex, utf8Bytes } from './encoding';

/**
 * SHA-256 of a string, for names that must not reveal what they are derived from.
 *
 * @param text hashed as its UTF-8 bytes.
 * @returns 64 lowercase hex characters.
 */
export async function sha256Hex(text: string): Promise<string> {
	return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8Bytes(text))));
}
