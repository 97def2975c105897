import { describe, expect, test } from 'vitest';
import { createHMAC, createSHA256 } from 'hash-wasm';
import {
	CryptoError,
	FALLBACK_KDF_PARAMS,
	createDataKey,
	base64ToBytes,
	decryptRecord,
	deriveWrappingKey,
	encryptJsonRecords,
	encryptRecord,
	encryptRecords,
	hexToBytes,
	hmacHex,
	importJournalSecret,
	randomBytes,
	unwrapDataKey,
	wrapDataKey,
	type KdfParams
} from '$lib/crypto';

const light: KdfParams = { algorithm: 'argon2id', memoryKiB: 64, iterations: 1, parallelism: 1 };
const binding = { table: 'notes', id: '9b1c7a52-4a4f-4c36-9d55-0d3b0f1c2a11', schemaVersion: 1 };

async function freshKey() {
	const salt = randomBytes(16);
	const wrappingKey = await deriveWrappingKey('mot de passe', salt, light);
	return { salt, wrappingKey, ...(await createDataKey(wrappingKey)) };
}

async function expectCode(promise: Promise<unknown>, code: CryptoError['code']) {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(CryptoError);
	expect((error as CryptoError).code).toBe(code);
}

describe('records', () => {
	test('round trip, with a fresh IV each time', async () => {
		const { dataKey } = await freshKey();
		const value = { body: 'Zéphyrine va mieux 🙂', n: 3, nested: { ok: true } };
		const a = await encryptRecord(dataKey, binding, value);
		const b = await encryptRecord(dataKey, binding, value);
		expect(a.v).toBe(1);
		expect(a.iv).toHaveLength(12);
		expect(a.iv).not.toEqual(b.iv);
		expect(await decryptRecord(dataKey, binding, a)).toEqual(value);
	});

	test('a ciphertext does not open under another table, id or schema version', async () => {
		const { dataKey } = await freshKey();
		const envelope = await encryptRecord(dataKey, binding, { body: 'x' });
		await expectCode(decryptRecord(dataKey, { ...binding, table: 'persons' }, envelope), 'decrypt-failure');
		await expectCode(decryptRecord(dataKey, { ...binding, id: crypto.randomUUID() }, envelope), 'decrypt-failure');
		await expectCode(decryptRecord(dataKey, { ...binding, schemaVersion: 2 }, envelope), 'decrypt-failure');
		// The separator cannot be abused: "notes|a" + "b|1" vs "notes" + "a|b|1" differ in id.
		await expectCode(decryptRecord(dataKey, { table: 'notes|9b1c7a52', id: binding.id.slice(9), schemaVersion: 1 }, envelope), 'decrypt-failure');
	});

	test('every single-bit flip in IV or ciphertext is refused', async () => {
		const { dataKey } = await freshKey();
		const envelope = await encryptRecord(dataKey, binding, { body: 'court' });
		for (const field of ['iv', 'ct'] as const) {
			for (let i = 0; i < envelope[field].length; i++) {
				const bytes = new Uint8Array(envelope[field]);
				bytes[i] ^= 1 << i % 8;
				await expectCode(decryptRecord(dataKey, binding, { ...envelope, [field]: bytes }), 'decrypt-failure');
			}
		}
		const truncated = { ...envelope, ct: envelope.ct.slice(0, -1) };
		await expectCode(decryptRecord(dataKey, binding, truncated), 'decrypt-failure');
		await expectCode(decryptRecord(dataKey, binding, { ...envelope, v: 2 as 1 }), 'unsupported-envelope');
	});

	test('another data key does not open it', async () => {
		const one = await freshKey();
		const two = await freshKey();
		const envelope = await encryptRecord(one.dataKey, binding, { body: 'x' });
		await expectCode(decryptRecord(two.dataKey, binding, envelope), 'decrypt-failure');
	});
});

describe('many records at once', () => {
	test('each value gets its own envelope: own IV, own binding, opened by decryptRecord alone', async () => {
		const { dataKey } = await freshKey();
		// More than one CSPRNG draw of IVs (65,536 bytes hold 5,461 IVs).
		const items = Array.from({ length: 6_000 }, (_, i) => ({
			binding: { table: 'notes', id: `id-${i}`, schemaVersion: 1 },
			value: { n: i, body: i % 2 ? 'Zéphyrine — 🙂' : 'plain' }
		}));
		const envelopes = await encryptRecords(dataKey, items);
		expect(envelopes).toHaveLength(items.length);
		expect(new Set(envelopes.map((e) => bytesKey(e.iv))).size).toBe(items.length);
		for (const envelope of envelopes) {
			expect(envelope.v).toBe(1);
			expect(envelope.iv).toHaveLength(12);
			// Its own 12 bytes, not a view into a buffer shared with other rows.
			expect(envelope.iv.buffer.byteLength).toBe(12);
		}
		for (const i of [0, 1, 5_460, 5_461, 5_999]) expect(await decryptRecord(dataKey, items[i].binding, envelopes[i])).toEqual(items[i].value);
		await expectCode(decryptRecord(dataKey, items[1].binding, envelopes[0]), 'decrypt-failure');
		expect(await encryptRecords(dataKey, [])).toEqual([]);
	});

	test('JSON bytes as received are encrypted as they are', async () => {
		const { dataKey } = await freshKey();
		const value = { id: binding.id, body: 'Appel du collège — absences « répétées »' };
		const json = new TextEncoder().encode(JSON.stringify(value));
		const [envelope] = await encryptJsonRecords(dataKey, [{ binding, json }]);
		expect(await decryptRecord(dataKey, binding, envelope)).toEqual(value);
		await expectCode(decryptRecord(dataKey, { ...binding, schemaVersion: 2 }, envelope), 'decrypt-failure');
	});

	test('base64ToBytes decodes standard base64 and refuses anything else', async () => {
		const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
		expect(base64ToBytes(btoa(String.fromCharCode(...bytes)))).toEqual(bytes);
		expect(base64ToBytes('')).toEqual(new Uint8Array(0));
		expect(() => base64ToBytes('not base64!')).toThrow(CryptoError);
	});
});

function bytesKey(bytes: Uint8Array): string {
	return Array.from(bytes).join(',');
}

describe('keys', () => {
	test('the data key handed out is never extractable', async () => {
		const { dataKey, wrappedKey, wrappingKey } = await freshKey();
		expect(dataKey.extractable).toBe(false);
		await expect(crypto.subtle.exportKey('raw', dataKey)).rejects.toThrow();
		const reopened = await unwrapDataKey(wrappedKey, wrappingKey);
		expect(reopened.extractable).toBe(false);
		expect(wrappingKey.extractable).toBe(false);
	});

	test('a wrong password does not unwrap; the right one opens what was encrypted', async () => {
		const { dataKey, wrappedKey, salt } = await freshKey();
		const envelope = await encryptRecord(dataKey, binding, { body: 'x' });
		const wrong = await deriveWrappingKey('mot de passE', salt, light);
		await expectCode(unwrapDataKey(wrappedKey, wrong), 'unwrap-failure');
		const right = await deriveWrappingKey('mot de passe', salt, light);
		expect(await decryptRecord(await unwrapDataKey(wrappedKey, right), binding, envelope)).toEqual({ body: 'x' });
	});

	test('wrapDataKey re-wraps the same key under another password', async () => {
		const { dataKey, wrappedKey, wrappingKey } = await freshKey();
		const envelope = await encryptRecord(dataKey, binding, { body: 'x' });
		const newKey = await deriveWrappingKey('nouveau', randomBytes(16), light);
		const rewrapped = await wrapDataKey(wrappedKey, wrappingKey, newKey);
		expect(await decryptRecord(await unwrapDataKey(rewrapped, newKey), binding, envelope)).toEqual({ body: 'x' });
		await expectCode(unwrapDataKey(rewrapped, wrappingKey), 'unwrap-failure');
		await expectCode(wrapDataKey(wrappedKey, newKey, newKey), 'unwrap-failure');
	});

	test('the PBKDF2 fallback (600,000 iterations) derives a working, salt-dependent key', async () => {
		expect(FALLBACK_KDF_PARAMS.iterations).toBeGreaterThanOrEqual(600_000);
		const salt = randomBytes(16);
		const key = await deriveWrappingKey('mot de passe', salt, FALLBACK_KDF_PARAMS);
		const { dataKey, wrappedKey } = await createDataKey(key);
		const again = await deriveWrappingKey('mot de passe', salt, FALLBACK_KDF_PARAMS);
		expect(await unwrapDataKey(wrappedKey, again)).toBeDefined();
		const otherSalt = await deriveWrappingKey('mot de passe', randomBytes(16), FALLBACK_KDF_PARAMS);
		await expectCode(unwrapDataKey(wrappedKey, otherSalt), 'unwrap-failure');
		expect(dataKey.extractable).toBe(false);
	});
});

describe('journal HMAC', () => {
	test('hmacHex agrees with an independent HMAC-SHA256 (hash-wasm)', async () => {
		const secret = 'f0'.repeat(16) + '0123456789abcdef'.repeat(2);
		const message = 'prev|1|2024-05-01T10:00:00.000Z|case|note|case.view|1 — é';
		const reference = await createHMAC(createSHA256(), hexToBytes(secret));
		reference.init();
		reference.update(message);
		expect(await hmacHex(await importJournalSecret(secret), message)).toBe(reference.digest('hex'));
	});

	test('a secret that is not 32 bytes of hex is refused', async () => {
		await expectCode(importJournalSecret('ab'.repeat(31)), 'invalid-input');
		await expectCode(importJournalSecret('zz'.repeat(32)), 'invalid-input');
	});
});
