import type { SealedRecords } from '$lib/db/sealPacked';
import type { PackedRecords, PullInput, PullOutput } from '$lib/shared/sync';

/** Main thread → page-sealing worker: pull this page and encrypt its records with this key. */
export type PageWorkerRequest = { id: number; input: PullInput; dataKey: CryptoKey };

/**
 * Page-sealing worker → main thread, for one request, in this order:
 * - `page`: the page without its packed records, their case ids and count, as soon as the answer
 *   is parsed (the main thread can ask for the next page meanwhile); `sealing` when the rows follow;
 * - then `sealed` (the records encrypted into rows) or `unsealed` (encryption failed in the
 *   worker: the records, for the main thread to encrypt);
 * - or, instead of all that, `failed`: no 2xx answer, or not a page; the main thread then makes
 *   the call itself through the tRPC client, whose error is classified like any other.
 */
export type PageWorkerAnswer =
	| { id: number; kind: 'page'; page: PullOutput; caseIds: string[]; count: number; sealing: boolean }
	| { id: number; kind: 'sealed'; rows: SealedRecords }
	| { id: number; kind: 'unsealed'; packed: PackedRecords }
	| { id: number; kind: 'failed' };
