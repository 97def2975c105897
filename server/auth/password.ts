import { hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's recommended minimum (19 MiB, t=2, p=1). */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export async function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

export async function verifyPasswordHash(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

let dummyHash: Promise<string> | null = null;

/** Spends the same time as a real verification, so an unknown username answers as slowly as a known one. */
export async function burnPasswordVerification(password: string): Promise<void> {
	dummyHash ??= hashPassword('carnet-dummy-password-for-timing');
	await verifyPasswordHash(await dummyHash, password);
}
