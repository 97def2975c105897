export {
	LockManager,
	lockManager,
	type LockReason,
	type UnlockOutcome,
	type LockManagerOptions
} from './lock-manager.svelte';
export * from './lockPolicy';
export { PIN_KDF_PARAMS } from './pinKdfParams';
