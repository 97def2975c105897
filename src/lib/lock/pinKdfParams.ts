import type { KdfParams } from '$lib/crypto';

/**
 * The quick PIN's copy of the data key lives in memory only and gives 5 tries, so the KDF only
 * has to slow down someone who dumped the tab's memory; OWASP's argon2id minimum keeps a PIN
 * unlock around a quarter of a second on a tablet.
 */
export const PIN_KDF_PARAMS: KdfParams = Object.freeze({
	algorithm: 'argon2id',
	memoryKiB: 19_456,
	iterations: 2,
	parallelism: 1
});
