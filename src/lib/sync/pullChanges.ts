import { api } from '$lib/api/client';
import {
	applyTombstones,
	deleteCases,
	getMeta,
	listHeldCaseIds,
	sealPullPage,
	setMeta,
	wipeStore,
	withMetaRows,
	writeSealedPage,
	type MetaValues,
	type SealedPage
} from '$lib/db';
import { requireDataKey } from '$lib/db/session';
import { checkedJournalSecret } from '$lib/journal';
import type { DevicePolicy, PullInput, PullOutput } from '$lib/shared/sync';
import { deviceLabel } from './deviceLabel';
import { PageSealer, type WorkerRecords } from './pageSealer';
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

type Page = Extract<PullOutput, { wipe: false }>;

/** A page as received; `records`: its records, being encrypted by the worker (else in `response`). */
type Fetched = { response: PullOutput; caseIds: string[]; count: number; records: Promise<WorkerRecords> | null };

/**
 * Pulls every page of changes and applies each one: revoked cases and all their rows go in one
 * transaction, then the page's records with the cursor, then tombstones. `wipe: true` wipes the
 * store and stops. Records come packed (each record's JSON text, encrypted as its UTF-8 bytes).
 *
 * Pipelined when the held set the next page needs is known without the store (no revocation,
 * no tombstone in the page): the next page is requested as soon as this one arrives, and this
 * one is encrypted while the previous one's transaction is still being written. Each page's
 * records, cursor and policy still go in one transaction, in page order, and a page's
 * transaction starts only once the previous one has committed: a failure stops the pull with
 * the cursor at the last page stored whole.
 *
 * When a page says more are coming, the next pages are fetched, parsed and encrypted by a worker
 * (pageWorker.ts, given the data key), so that the main thread only writes rows; the worker
 * sends each page's header first, so the next page is asked for while this one is encrypted.
 * Whatever fails on that road falls back to the main thread's path: no worker, or no page from
 * it (an HTTP error: the same call is then made through the tRPC client, which reports it as
 * every call does). A worker that crashes while encrypting stops the pull (`server`: retried)
 * and is not used again in this tab.
 */
export async function pullChanges(deviceId: string, onProgress?: (progress: PullProgress) => void): Promise<PullResult> {
	let cursor = (await getMeta('cursor')) ?? null;
	const firstSync = cursor === null;
	const progress: PullProgress = { pages: 0, records: 0, firstSync };
	const result: PullResult = { records: 0, revokedCaseIds: [], droppedLocalWork: 0, policy: null };
	onProgress?.({ ...progress });
	const label = deviceLabel();
	/** Started once a page says more are coming; ended with this pull. */
	let sealer: PageSealer | null = null;
	const request = (cursor: string | null, heldCaseIds: string[]) =>
		fetchPage(sealer, { deviceId, deviceLabel: label, cursor, heldCaseIds, packed: 'json' });
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
			const { response, caseIds, count, records } = await next;
			if (response.wipe) {
				await writing.catch(() => {});
				await wipeStore();
				await api.sync.acknowledgeWipe.mutate({ deviceId }).catch(() => {});
				throw new SyncError('wiped');
			}
			const prefetch = response.hasMore && response.revokedCaseIds.length === 0 && response.tombstones.length === 0;
			if (response.hasMore && !sealer) sealer = PageSealer.create();
			if (prefetch) {
				held = [...new Set([...held, ...caseIds])];
				next = request(response.cursor, held);
				// Awaited at the next turn; an early failure of this page must not leave it unhandled.
				next.catch(() => {});
			}
			// The journal secret (first page of a new device) is written with the page's records.
			const meta: Partial<MetaValues> & Pick<MetaValues, 'cursor' | 'policy'> = {
				cursor: response.cursor,
				policy: response.policy,
				...(response.journalSecret ? { journalSecret: await checkedJournalSecret(response.journalSecret) } : {})
			};
			const seal = (meta: Partial<MetaValues>): Promise<SealedPage> => sealPage(response, records, meta);
			if (response.revokedCaseIds.length === 0 && response.tombstones.length === 0) {
				const sealed = await seal(meta);
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
					await writeSealedPage(await seal(meta));
				} else {
					// The cursor moves only once the deletions are applied too.
					const { cursor, policy, ...first } = meta;
					await writeSealedPage(await seal(first));
					await applyTombstones(response.tombstones);
					await setMeta('cursor', cursor);
					await setMeta('policy', policy);
				}
				stored(count);
			}
			cursor = response.cursor;
			result.policy = response.policy;
			result.records += count;
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
		(sealer as PageSealer | null)?.close();
	}
	await setMeta('lastSyncAt', new Date().toISOString());
	return result;
}

/** One page: through the worker when there is one and it gets the page, else through the tRPC client. */
async function fetchPage(sealer: PageSealer | null, input: PullInput): Promise<Fetched> {
	if (sealer) {
		const got = await sealer.pull(input, requireDataKey()).catch(() => null);
		if (got) return { response: got.page, caseIds: got.caseIds, count: got.count, records: got.records };
	}
	const response = await api.sync.pull.mutate(input);
	if (response.wipe) return { response, caseIds: [], count: 0, records: null };
	const records = response.packed ?? response;
	const count = records.cases.length + records.persons.length + records.notes.length + records.visits.length;
	return { response, caseIds: records.cases.map((c) => c.id), count, records: null };
}

/** A page's rows with the meta rows to write with them: encrypted by the worker, or here. */
async function sealPage(response: Page, records: Promise<WorkerRecords> | null, meta: Partial<MetaValues>): Promise<SealedPage> {
	if (!records) return sealPullPage(response, meta);
	let got: WorkerRecords;
	try {
		got = await records;
	} catch (error) {
		throw new SyncError('server', error);
	}
	return 'rows' in got ? withMetaRows(got.rows, meta) : sealPullPage({ ...response, packed: got.packed }, meta);
}
