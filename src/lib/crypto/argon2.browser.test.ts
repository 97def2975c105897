import { afterEach, describe, expect, test } from 'vitest';
import { argon2id as independentArgon2id } from 'hash-wasm';
import { DEFAULT_KDF_PARAMS } from './kdfParams';
import { PIN_KDF_PARAMS } from '$lib/lock/pinKdfParams';
import { argon2id, held, prepare, release } from './argon2';
import { loadArgon2, prepareKdf, releaseKdfMemory } from './deriveWrappingKey';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const utf8 = (text: string) => new TextEncoder().encode(text);

/** hash-wasm's argon2id: another implementation (the one keyrings were made with before). */
function reference(password: string, salt: Uint8Array, memoryKiB: number, iterations: number) {
	return independentArgon2id({ password: utf8(password), salt, memorySize: memoryKiB, iterations, parallelism: 1, hashLength: 32, outputType: 'hex' });
}

afterEach(() => release());

describe('argon2id (OpenPGP.js WebAssembly, memory owned by the app)', () => {
	test('RFC 9106 output: agrees with an independent implementation, shipped and PIN parameters', async () => {
		const salt = crypto.getRandomValues(new Uint8Array(16));
		for (const [secret, params] of [
			['Carnet-Demo-2026!', DEFAULT_KDF_PARAMS],
			['2468', PIN_KDF_PARAMS],
			['mot de passe accentué é à ç', PIN_KDF_PARAMS]
		] as const) {
			if (params.algorithm !== 'argon2id') throw new Error('argon2id parameters expected');
			const ours = await argon2id({ password: utf8(secret), salt, memoryKiB: params.memoryKiB, iterations: params.iterations, parallelism: 1 });
			expect(ours).toHaveLength(32);
			expect(hex(ours)).toBe(await reference(secret, salt, params.memoryKiB, params.iterations));
		}
	});

	test('the same result on prepared memory, on memory reused after another hash, and after release', async () => {
		const salt = new Uint8Array(16).fill(3);
		const expected = await reference('Carnet-Demo-2026!', salt, 8192, 2);
		const run = async () => hex(await argon2id({ password: utf8('Carnet-Demo-2026!'), salt, memoryKiB: 8192, iterations: 2, parallelism: 1 }));
		await prepare(DEFAULT_KDF_PARAMS.memoryKiB);
		expect(held()).toBe(true);
		expect(await run()).toBe(expected);
		// Another secret in between: nothing of it may leak into the next result.
		await argon2id({ password: utf8('autre'), salt, memoryKiB: 16384, iterations: 1, parallelism: 1 });
		expect(await run()).toBe(expected);
		release();
		expect(held()).toBe(false);
		expect(await run()).toBe(expected);
	});

	test('a derivation that starts while the memory is being prepared is correct and stops the preparation', async () => {
		const salt = new Uint8Array(16).fill(9);
		const preparing = prepare(DEFAULT_KDF_PARAMS.memoryKiB);
		const result = await argon2id({ password: utf8('pendant'), salt, memoryKiB: 8192, iterations: 1, parallelism: 1 });
		await preparing;
		expect(hex(result)).toBe(await reference('pendant', salt, 8192, 1));
	});

	test('prepareKdf holds memory for argon2id keyrings only; releaseKdfMemory lets it go', async () => {
		await prepareKdf({ algorithm: 'pbkdf2-sha256', iterations: 600_000 });
		expect(held()).toBe(false);
		await prepareKdf(DEFAULT_KDF_PARAMS);
		expect(held()).toBe(true);
		expect((await loadArgon2()).held()).toBe(true);
		releaseKdfMemory();
		expect(held()).toBe(false);
	});
});
