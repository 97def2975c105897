/**
 * The only module of the app that calls `crypto.subtle` (and argon2id). Keys are CryptoKeys;
 * the data key is never extractable outside `dataKey.ts`.
 */
export { CryptoError, type CryptoErrorCode } from './CryptoError';
export {
	DEFAULT_KDF_PARAMS,
	FALLBACK_KDF_PARAMS,
	KDF_SALT_BYTES,
	chooseKdfParams,
	type KdfParams,
	type Argon2idParams,
	type Pbkdf2Params
} from './kdfParams';
export { deriveWrappingKey, loadArgon2, prepareKdf, releaseKdfMemory } from './deriveWrappingKey';
export { createDataKey, unwrapDataKey, wrapDataKey } from './dataKey';
export { type Envelope, type RecordBinding, bindingAad } from './envelope';
export { encryptRecord } from './encryptRecord';
export { encryptRecords, encryptJsonRecords } from './encryptRecords';
export { decryptRecord } from './decryptRecord';
export { importJournalSecret, hmacHex } from './hmac';
export { sha256Hex } from './sha256';
export { randomBytes, bytesToHex, hexToBytes, base64ToBytes } from './encoding';
