import { CryptoError } from './CryptoError';

/** UTF-8 bytes of a string. */
export function utf8Bytes(text: string): Uint8Array<ArrayBuffer> {
	return new TextEncoder().encode(text);
}

/** Lowercase hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
	let hex = '';
	for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
	return hex;
}

/** Bytes of an even-length hex string (either case); throws `CryptoError('invalid-input')` otherwise. */
export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
	if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new CryptoError('invalid-input');
	const bytes = new Uint8Array(hex.length / 2);
	for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
	return bytes;
}

/** `count` bytes from the platform CSPRNG. */
export function randomBytes(count: number): Uint8Array<ArrayBuffer> {
	return crypto.getRandomValues(new Uint8Array(count));
}

type Base64Decoder = { fromBase64?: (text: string) => Uint8Array<ArrayBuffer> };

/**
 * Bytes of a standard base64 string (RFC 4648, with padding). Uses the native
 * `Uint8Array.fromBase64` where the browser has it, `atob` otherwise; throws
 * `CryptoError('invalid-input')` on anything else.
 */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
	try {
		const native = (Uint8Array as unknown as Base64Decoder).fromBase64;
		if (native) return native.call(Uint8Array, text);
		const binary = atob(text);
		const bytes = new Uint8Array(binary.length);
		for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
		return bytes;
	} catch (cause) {
		throw new CryptoError('invalid-input', { cause });
	}
}
