import { importJournalSecret } from '$lib/crypto';
import { getMeta, setMeta } from '$lib/db';
import { getDerivedKey, setDerivedKey } from '$lib/db/session';
import { JournalError } from './JournalError';

/**
 * Stores the journal secret issued by the server (first pull of a device), encrypted in meta.
 *
 * @param secretHex 32 bytes as 64 hex characters, as in `PullOutput.journalSecret`.
 */
export async function setJournalSecret(secretHex: string): Promise<void> {
	await setMeta('journalSecret', await checkedJournalSecret(secretHex));
}

/**
 * The journal secret as stored in meta, for a caller that writes it in its own transaction (the
 * sync engine, with the first page). Refuses a malformed secret (`CryptoError('invalid-input')`).
 */
export async function checkedJournalSecret(secretHex: string): Promise<string> {
	await importJournalSecret(secretHex);
	return secretHex.toLowerCase();
}

/** The HMAC key, imported once per unlock and dropped with the data key. */
export async function journalKey(): Promise<CryptoKey> {
	const cached = getDerivedKey('journal');
	if (cached) return cached;
	const secret = await getMeta('journalSecret');
	if (!secret) throw new JournalError('no-secret');
	const key = await importJournalSecret(secret);
	setDerivedKey('journal', key);
	return key;
}
