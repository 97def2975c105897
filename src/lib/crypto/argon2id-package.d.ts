// The package ships types for its setup helper only; this is its hash function, used with memory
// the app owns (src/lib/crypto/argon2.ts).
declare module 'argon2id/lib/argon2id.js' {
	export default function argon2id(
		params: {
			password: Uint8Array;
			salt: Uint8Array;
			parallelism: number;
			passes: number;
			memorySize: number;
			tagLength: number;
		},
		wasm: { memory: WebAssembly.Memory; instance: WebAssembly.Instance }
	): Uint8Array<ArrayBuffer>;
}
