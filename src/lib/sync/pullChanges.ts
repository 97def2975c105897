import { api } from '$lib/api/client';
import { applyTombstones, deleteCases, getMeta, listHeldCaseIds, putPullPage, setMeta, wipeStore } from '$lib/db';
import { setJournalSecret } from '$lib/journal';
import type { DevicePolicy } from '$lib/shared/sync';
import { deviceLabel } from './deviceLabel';
import { SyncError } from './SyncError';

export interface PullProgress {
	pages: number;
	records: number;
	/** True on a device that held nothing before this pull. */
	firstSync: boolean;
}

export interface PullResult {
	records: number;
	revokedCaseIds: string[];
	/** Drafts and queued mutations of revoked cases, dropped with them (the UI says so). */
	droppedLocalWork: number;
	policy: DevicePolicy | null;
}

/**
 * Pulls every page of changes and applies each one: revoked cases and all their rows go in one
 * transaction, then the page's records, then the cursor. `wipe: true` wipes the store and stops.
 */
export async function pullChanges(deviceId: string, onProgress?: (progress: PullProgress) => void): Promise<PullResult> {
	let cursor = (await getMeta('cursor')) ?? null;
	const firstSync = cursor === null;
	const progress: PullProgress = { pages: 0, records: 0, firstSync };
	const result: PullResult = { records: 0, revokedCaseIds: [], droppedLocalWork: 0, policy: null };
	onProgress?.({ ...progress });
	for (let page = 0; page < 1_000; page++) {
		const heldCaseIds = await listHeldCaseIds();
		const response = await api.sync.pull.mutate({ deviceId, deviceLabel: deviceLabel(), cursor, heldCaseIds });
		if (response.wipe) {
			await wipeStore();
			await api.sync.acknowledgeWipe.mutate({ deviceId }).catch(() => {});
			throw new SyncError('wiped');
		}
		if (response.journalSecret) {
			await setMeta('journalSecret', response.journalSecret);
			await setJournalSecret(response.journalSecret);
		}
		if (response.revokedCaseIds.length > 0) {
			const dropped = await deleteCases(response.revokedCaseIds);
			result.revokedCaseIds.push(...response.revokedCaseIds);
			result.droppedLocalWork += dropped.droppedDrafts + dropped.droppedMutations;
		}
		await putPullPage(response);
		if (response.tombstones.length > 0) await applyTombstones(response.tombstones);
		cursor = response.cursor;
		await setMeta('cursor', cursor);
		await setMeta('policy', response.policy);
		result.policy = response.policy;
		const count = response.cases.length + response.persons.length + response.notes.length + response.visits.length;
		result.records += count;
		progress.pages++;
		progress.records += count;
		onProgress?.({ ...progress });
		if (!response.hasMore) break;
	}
	await setMeta('lastSyncAt', new Date().toISOString());
	return result;
}
