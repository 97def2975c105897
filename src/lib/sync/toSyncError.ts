import { apiErrorInfo } from '$lib/api/client';
import { StoreError } from '$lib/db';
import { SyncError } from './SyncError';

/** Classifies anything thrown during a sync run. */
export function toSyncError(error: unknown): SyncError {
	if (error instanceof SyncError) return error;
	if (error instanceof StoreError) {
		if (error.code === 'quota') return new SyncError('quota', error);
		if (error.code === 'conflict') return new SyncError('busy', error);
		return new SyncError('locked', error);
	}
	const info = apiErrorInfo(error);
	if (info.appCode === 'network') return new SyncError('network', error);
	if (info.appCode === 'unauthenticated' || info.appCode === 'password-change-required') {
		return new SyncError('unauthenticated', error);
	}
	return new SyncError('server', error);
}
