// Only argon2id from hash-wasm: a dynamic import of the package itself would keep every one of its
// algorithms (and their WebAssembly) in the chunk; through this module the rest is tree-shaken.
export { argon2id } from 'hash-wasm';
