import { api } from '$lib/api/client';
import { pullPage } from '$lib/api/pullPage';
import { applyTombstones, deleteCases, getMeta, listHeldCaseIds, putPullPage, sealPullPage, setMeta, wipeStore, writeSealedPage, type MetaValues } from '$lib/db';
import { checkedJournalSecret } from '$lib/journal';
import type { DevicePolicy } from '$lib/shared/sync';
import type { FramedPullOutput } from '$lib/shared/pullFrame';
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
	/** Whether the store's caseload changed: records stored, deleted (tombstones) or revoked. */
	changed: boolean;
	revokedCaseIds: string[];
	/** Drafts and queued mutations of revoked cases, dropped with them (the UI says so). */
	droppedLocalWork: number;
	policy: DevicePolicy | null;
}

type Page = Extract<FramedPullOutput, { wipe: false }>;

/**
 * Pulls every page of changes and applies each one: revoked cases and all their rows go in one
 * transaction, then the page's records with the cursor, then tombstones. `wipe: true` wipes the
 * store and stops. Records come packed, in binary frames (each record's UTF-8 JSON, encrypted
 * as received; `pullPage`).
 *
 * Pipelined when the held set the next page needs is known without the store (no revocation,
 * no tombstone in the page): the next page is requested as soon as this one arrives, and this
 * one is encrypted while the previous one's transaction is still being written. Each page's
 * records, cursor and policy still go in one transaction, in page order, and a page's
 * transaction starts only once the previous one has committed: a failure stops the pull with
 * the cursor at the last page stored whole.

 */
export async function pullChanges(deviceId: string, onProgress?: (progress: PullProgress) => void): Promise<PullResult> {
	let cursor = (await getMeta('cursor')) ?? null;
	const firstSync = cursor === null;
	const progress: PullProgress = { pages: 0, records: 0, firstSync };
	const result: PullResult = { records: 0, changed: false, revokedCaseIds: [], droppedLocalWork: 0, policy: null };
	onProgress?.({ ...progress });
	const label = deviceLabel();
	const request = (cursor: string | null, heldCaseIds: string[]) => pullPage({ deviceId, deviceLabel: label, cursor, heldCaseIds });
	/** The previous page's transaction, while it is being written. */
	let writing: Promise<void> = Promise.resolve();
	const stored = (count: number) => {
		progress.pages++;
		progress.records += count;
		onProgress?.({ ...progress });
	};
	let held = await listHeldCaseIds();
	let next = request(cursor, held);
	try {
		for (let page = 0; page < 1_000; page++) {
			const response = await next;
			if (response.wipe) {
				await writing.catch(() => {});
				await wipeStore();
				await api.sync.acknowledgeWipe.mutate({ deviceId }).catch(() => {});
				throw new SyncError('wiped');
			}
			const caseIds = caseIdsOf(response);
			const prefetch = response.hasMore && response.revokedCaseIds.length === 0 && response.tombstones.length === 0;
			if (prefetch) {
				held = [...new Set([...held, ...caseIds])];
				next = request(response.cursor, held);
				// Awaited at the next turn; an early failure of this page must not leave it unhandled.
				next.catch(() => {});
			}
			const count = recordCount(response);
			// The journal secret (first page of a new device) is written with the page's records.
			const meta: Partial<MetaValues> & Pick<MetaValues, 'cursor' | 'policy'> = {
				cursor: response.cursor,
				policy: response.policy,
				...(response.journalSecret ? { journalSecret: await checkedJournalSecret(response.journalSecret) } : {})
			};
			if (response.revokedCaseIds.length === 0 && response.tombstones.length === 0) {
				const sealed = await sealPullPage(response, meta);
				await writing;
				writing = writeSealedPage(sealed).then(() => stored(count));
				// Awaited before the next write or at the end; a failure must not go unhandled meanwhile.
				writing.catch(() => {});
			} else {
				await writing;
				if (response.revokedCaseIds.length > 0) {
					const dropped = await deleteCases(response.revokedCaseIds);
					result.revokedCaseIds.push(...response.revokedCaseIds);
					result.droppedLocalWork += dropped.droppedDrafts + dropped.droppedMutations;
				}
				if (response.tombstones.length === 0) {
					await putPullPage(response, meta);
				} else {
					// The cursor moves only once the deletions are applied too.
					const { cursor, policy, ...first } = meta;
					await putPullPage(response, first);
					await applyTombstones(response.tombstones);
					await setMeta('cursor', cursor);
					await setMeta('policy', policy);
				}
				stored(count);
			}
			cursor = response.cursor;
			result.policy = response.policy;
			result.records += count;
			result.changed ||= count > 0 || response.tombstones.length > 0 || response.revokedCaseIds.length > 0;
			if (!response.hasMore) break;
			if (!prefetch) {
				await writing;
				held = await listHeldCaseIds();
				next = request(cursor, held);
			}
		}
		await writing;
	} finally {
		// Never leave a write running behind a failed pull (its error is the pull's if it comes first).
		await writing.catch(() => {});
	}
	await setMeta('lastSyncAt', new Date().toISOString());
	return result;
}

function caseIdsOf(page: Page): string[] {
	return page.packed.cases.map((c) => c.id);
}

function recordCount(page: Page): number {
	const records = page.packed;
	return records.cases.length + records.persons.length + records.notes.length + records.visits.length;
}
