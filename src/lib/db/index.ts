/**
 * The device store: encrypted IndexedDB (Dexie), one database per user. Every value that says
 * something about a person is encrypted on write and decrypted on read; see DESIGN.md.
 */
export { StoreError, type StoreErrorCode } from './StoreError';
export { openStore, openStoreByName, currentStoreName, closeStore, storeNameFor, isStoreOpen, isUnlocked } from './session';
export {
	hasKeyring,
	prepareUnlock,
	createKeyring,
	unlockKeyring,
	unlockWithWrappedKey,
	rewrapKeyring,
	lockKeyring
} from './keyring';
export { putCases, putPersons, putNotes, putVisits, putPullPage, sealPullPage, writeSealedPage, type SealedPage } from './putRecords';
export { getCase, listCaseload, getCaseDetail, listHeldCaseIds, listCaseIdsWithLocalWork, listNotes, type CaseloadItem, type CaseDetail } from './caseload';
export { deleteCases, applyTombstones } from './deleteCases';
export { wipeStore } from './wipeStore';
export { saveDraft, listDrafts, deleteDraft } from './drafts';
export { enqueueMutation, listOutbox, removeFromOutbox, countOutbox, type OutboxItem } from './outbox';
export { getMeta, setMeta, type MetaKey, type MetaValues } from './meta';
export { onQuarantine, listQuarantine, type RecordFailure, type QuarantineReason } from './quarantine';
export { requestPersistentStorage, storageEstimate, type StorageEstimateResult } from './storage';
export type { Draft } from './tables';
