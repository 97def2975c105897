export { sync } from './sync-manager.svelte';
export { SyncError, type SyncErrorCode } from './SyncError';
export { syncWithServer, type SyncRunResult } from './syncWithServer';
export type { SyncIssue } from './pushOutbox';
export type { PullProgress } from './pullChanges';
