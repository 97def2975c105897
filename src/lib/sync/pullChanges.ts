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
 * transaction, then the page's records with the cursor, then tombstones. `wipe: true` wipes the
 * store and stops. While a page is encrypted and stored, the next one is already on its way
 * when the held set it needs is known without the store (no revocation, no tombstone in the page).
 */
export async function pullChanges(deviceId: string, onProgress?: (progress: PullProgress) => void): Promise<PullResult> {
	let cursor = (await getMeta('cursor')) ?? null;
	const firstSync = cursor === null;
	const progress: PullProgress = { pages: 0, records: 0, firstSync };
	const result: PullResult = { records: 0, revokedCaseIds: [], droppedLocalWork: 0, policy: null };
	onProgress?.({ ...progress });
	const label = deviceLabel();
	const request = (cursor: string | null, heldCaseIds: string[]) => api.sync.pull.mutate({ deviceId, deviceLabel: label, cursor, heldCaseIds });
	let held = await listHeldCaseIds();
	let next = request(cursor, held);
	for (let page = 0; page < 1_000; page++) {
		const response = await next;
		if (response.wipe) {
			await wipeStore();
			await api.sync.acknowledgeWipe.mutate({ deviceId }).catch(() => {});
			throw new SyncError('wiped');
		}
		const prefetch = response.hasMore && response.revokedCaseIds.length === 0 && response.tombstones.length === 0;
		if (prefetch) {
			held = [...new Set([...held, ...response.cases.map((c) => c.id)])];
			next = request(response.cursor, held);
			// Awaited at the next turn; an early failure of this page must not leave it unhandled.
			next.catch(() => {});
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
		if (response.tombstones.length === 0) {
			await putPullPage(response, { cursor: response.cursor, policy: response.policy });
		} else {
			// The cursor moves only once the deletions are applied too.
			await putPullPage(response);
			await applyTombstones(response.tombstones);
			await setMeta('cursor', response.cursor);
			await setMeta('policy', response.policy);
		}
		cursor = response.cursor;
		result.policy = response.policy;
		const count = response.cases.length + response.persons.length + response.notes.length + response.visits.length;
		result.records += count;
		progress.pages++;
		progress.records += count;
		onProgress?.({ ...progress });
		if (!response.hasMore) break;
		if (!prefetch) {
			held = await listHeldCaseIds();
			next = request(cursor, held);
		}
	}
	await setMeta('lastSyncAt', new Date().toISOString());
	return result;
}
