import { argon2id } from 'hash-wasm';
import { DEFAULT_KDF_PARAMS } from '../../src/lib/crypto/kdfParams';

/**
 * How fast this host is right now, on fixed work in this Node process (one thread, no I/O):
 * argon2id with the shipped parameters in hash-wasm's WebAssembly (the app's KDF until the sixth
 * round; kept so that runs of different rounds compare) and a JSON round trip of 3,000
 * note-like records. Measured at the start and at the end of a run, beside the figures, so that
 * runs on different days (or a host that slowed down mid-run) can be compared: a shared host's
 * speed varies by 2–3× within a day here (BENCHMARKS.md).
 */
export async function measureHostReference(runs: number): Promise<{ argon2idMs: number[]; jsonMs: number[] }> {
	const argon2idMs: number[] = [];
	const jsonMs: number[] = [];
	const salt = new Uint8Array(16).fill(7);
	const records = Array.from({ length: 3_000 }, (_, i) => ({
		id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
		caseId: `00000000-0000-4000-8000-${String(i % 60).padStart(12, '0')}`,
		body: `Visite à domicile n° ${i} : ${'échange avec la famille, devoirs, repas, sommeil. '.repeat(20)}`,
		status: 'submitted',
		version: i
	}));
	for (let run = 0; run < runs; run++) {
		let started = performance.now();
		await argon2id({
			password: 'Carnet-Demo-2026!',
			salt,
			memorySize: DEFAULT_KDF_PARAMS.memoryKiB,
			iterations: DEFAULT_KDF_PARAMS.iterations,
			parallelism: DEFAULT_KDF_PARAMS.parallelism,
			hashLength: 32,
			outputType: 'binary'
		});
		argon2idMs.push(performance.now() - started);
		started = performance.now();
		const back = JSON.parse(JSON.stringify(records)) as typeof records;
		if (back.length !== records.length) throw new Error('JSON round trip lost records');
		jsonMs.push(performance.now() - started);
	}
	return { argon2idMs, jsonMs };
}
