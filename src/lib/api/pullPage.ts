import { TRPCClientError } from '@trpc/client';
import { decodePullFrame, PULL_FRAME_TYPE, type FramedPullOutput } from '$lib/shared/pullFrame';
import type { PullInput } from '$lib/shared/sync';
import { fetchPullFrame, type PullFetchResult } from './fetchPullFrame';
import type { PullFetchReply, PullFetchRequest } from './pullFetch.worker';

/**
 * sync.pull for the sync engine, answered as a binary frame (POST /sync/pull,
 * src/lib/shared/pullFrame.ts): the same procedure as `api.sync.pull`, without JSON text around
 * the records. Failures are thrown as the tRPC client throws them (`TRPCClientError`, with the
 * server's error shape when there is one), so `apiErrorInfo` and `toSyncError` read them alike:
 * no answer is `network`; an answer that is not a frame is the server's error or `internal`.
 *
 * The request and the body's reception run in a dedicated worker (`pullFetch.worker.ts`) where
 * the browser has one; here, without it. Not through `response.blob()`, which takes the body
 * off this thread as well: a Blob's bytes may be written to disk by the browser under memory
 * pressure (Chromium's blob storage pages to its profile directory), and a pull page is
 * plaintext.
 */
export async function pullPage(input: Omit<PullInput, 'packed'>): Promise<FramedPullOutput> {
	const body = JSON.stringify(input);
	const reply = (await viaWorker(body)) ?? (await fetchPullFrame(body, PULL_FRAME_TYPE));
	if (reply.kind === 'network') throw TRPCClientError.from(new Error(reply.message));
	// The meta response tells apiErrorInfo that the server answered (not a network failure). No
	// body: a status such as 204 cannot have one.
	const response = new Response(null, { status: reply.kind === 'frame' ? 200 : reply.status });
	if (reply.kind === 'other') {
		const parsed: unknown = (() => {
			try {
				return JSON.parse(reply.text);
			} catch {
				return null;
			}
		})();
		const shaped = parsed !== null && typeof parsed === 'object' && 'error' in parsed && typeof (parsed as { error: unknown }).error === 'object';
		const ok = reply.status >= 200 && reply.status < 300;
		throw TRPCClientError.from(
			shaped ? (parsed as { error: { message: string; code: number; data?: unknown } }) : new Error(ok ? 'not a pull frame' : `HTTP ${reply.status}`),
			{ meta: { response } }
		);
	}
	try {
		return decodePullFrame(new Uint8Array(reply.frame));
	} catch (cause) {
		throw TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause)), { meta: { response } });
	}
}

type Pending = { resolve: (reply: PullFetchResult | null) => void };

/** The page's pull worker: made at the first pull, kept for the next ones; null once it failed. */
let worker: Worker | null | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function pullWorker(): Worker | null {
	if (worker !== undefined) return worker;
	if (typeof Worker === 'undefined') return (worker = null);
	try {
		const made = new Worker(new URL('./pullFetch.worker.ts', import.meta.url), { type: 'module', name: 'carnet-pull' });
		made.onmessage = (event: MessageEvent<PullFetchReply>) => {
			const waiting = pending.get(event.data.id);
			pending.delete(event.data.id);
			waiting?.resolve(event.data);
		};
		// The worker could not start (or died): what it had not answered is asked on this thread.
		made.onerror = (event) => {
			event.preventDefault();
			giveUpWorker();
		};
		made.onmessageerror = () => giveUpWorker();
		worker = made;
	} catch {
		worker = null;
	}
	return worker;
}

function giveUpWorker() {
	worker?.terminate();
	worker = null;
	for (const waiting of pending.values()) waiting.resolve(null);
	pending.clear();
}

/** The reply through the worker, or null to ask on this thread. */
function viaWorker(body: string): Promise<PullFetchResult | null> {
	const w = pullWorker();
	if (!w) return Promise.resolve(null);
	const id = nextId++;
	return new Promise((resolve) => {
		pending.set(id, { resolve });
		w.postMessage({ id, body, accept: PULL_FRAME_TYPE } satisfies PullFetchRequest);
	});
}
