// argon2id from OpenPGP.js's `argon2id` package (RFC 9106; WebAssembly with SIMD, and a build
// without SIMD where the browser lacks it). The app, not the package, owns the WebAssembly memory,
// so that the 64 MiB the KDF needs can be committed while the unlock screen waits for the password
// (`prepare`), and released once the data key is in memory (`release`).
import hashArgon2id from 'argon2id/lib/argon2id.js';
import initSimd from 'argon2id/dist/simd.wasm?init';
import initNoSimd from 'argon2id/dist/no-simd.wasm?init';

type Runner = { memory: WebAssembly.Memory; instance: WebAssembly.Instance };

/** Pages (64 KiB) the WebAssembly modules import at least, as built by the package (65 MiB). */
const INITIAL_PAGES = 1040;
const MAX_PAGES = 65536;
/** Memory committed per slice while preparing: small enough to keep typing fluid on a slow tablet. */
const SLICE_BYTES = 4 << 20;

let simd: boolean | undefined;
let runner: Promise<Runner> | null = null;
/**
 * Bumped by every `prepare`, derivation and `release`: an unfinished `prepare` stops at its next
 * slice (a derivation touches the rest itself; released memory needs no more).
 */
let generation = 0;

async function instantiate(memory: WebAssembly.Memory): Promise<WebAssembly.Instance> {
	const imports = { env: { memory } };
	if (simd !== false) {
		try {
			const instance = await initSimd(imports);
			simd = true;
			return instance;
		} catch {
			simd = false;
		}
	}
	return initNoSimd(imports);
}

function ensurePages(memory: WebAssembly.Memory, memoryKiB: number): void {
	const needed = Math.ceil((memoryKiB * 1024) / 65536) + 16;
	const pages = memory.buffer.byteLength / 65536;
	if (pages < needed) memory.grow(needed - pages);
}

function getRunner(): Promise<Runner> {
	runner ??= (async () => {
		const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES });
		return { memory, instance: await instantiate(memory) };
	})();
	return runner;
}

/**
 * Commits the memory a derivation of `memoryKiB` will use (the operating system maps pages on
 * first write: about 0.9 s of a 4x-throttled main thread for 64 MiB), in slices between which the
 * page stays responsive. Idempotent while the memory is held; harmless if a derivation starts first.
 */
export async function prepare(memoryKiB: number): Promise<void> {
	const mine = ++generation;
	const { memory } = await getRunner();
	if (mine !== generation) return;
	ensurePages(memory, memoryKiB);
	const bytes = Math.min(memory.buffer.byteLength, memoryKiB * 1024 + (1 << 20));
	for (let offset = 0; offset < bytes && mine === generation; offset += SLICE_BYTES) {
		new Uint8Array(memory.buffer, offset, Math.min(SLICE_BYTES, bytes - offset)).fill(0);
		await new Promise((resolve) => setTimeout(resolve, 0));
	}
}

/** Drops the memory (the package zeroes it after each hash); the next derivation or `prepare` makes a new one. */
export function release(): void {
	generation++;
	runner = null;
}

/** Whether memory is held for the KDF (for tests). */
export function held(): boolean {
	return runner !== null;
}

/** argon2id, 32-byte output, on the prepared memory if any. */
export async function argon2id(options: {
	password: Uint8Array;
	salt: Uint8Array;
	memoryKiB: number;
	iterations: number;
	parallelism: number;
}): Promise<Uint8Array<ArrayBuffer>> {
	generation++;
	const { memory, instance } = await getRunner();
	return hashArgon2id(
		{
			password: options.password,
			salt: options.salt,
			parallelism: options.parallelism,
			passes: options.iterations,
			memorySize: options.memoryKiB,
			tagLength: 32
		},
		{ memory, instance }
	);
}
