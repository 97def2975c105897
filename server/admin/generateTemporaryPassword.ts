import { checkPasswordPolicy } from '../auth/passwordPolicy';

/** No 0/O, 1/l/I: the password is read off a screen and typed on a tablet. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A temporary password shown once to the administrator: four groups of four characters
 * (about 95 bits), which meets the CNIL policy; the user must change it at first sign-in.
 */
export function generateTemporaryPassword(): string {
	for (;;) {
		const bytes = new Uint8Array(16);
		crypto.getRandomValues(bytes);
		const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
		const password = [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
		if (checkPasswordPolicy(password).length === 0) return password;
	}
}
