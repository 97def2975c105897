import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';
import { journalMacMessage, type JournalEntry } from '../../src/lib/shared/sync';

/**
 * The MAC a device must have put on a journal entry: HMAC-SHA256 keyed with the hex-decoded
 * device secret, over the UTF-8 bytes of journalMacMessage(prevMac, entry); lowercase hex.
 */
export function journalMac(secretHex: string, prevMac: string, entry: Omit<JournalEntry, 'mac'>): string {
	const message = new TextEncoder().encode(journalMacMessage(prevMac, entry));
	return encodeHexLowerCase(hmac(SHA256, decodeHex(secretHex), message));
}

/** Compares two hex MACs in constant time. */
export function sameMac(a: string, b: string): boolean {
	const encoder = new TextEncoder();
	const left = encoder.encode(a);
	const right = encoder.encode(b);
	return left.length === right.length && constantTimeEqual(left, right);
}
