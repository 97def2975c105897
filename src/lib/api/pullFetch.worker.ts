/**
 * The network half of `pullPage`, in a dedicated worker: POST /sync/pull and receive the frame.
 * Receiving a response body is work on the thread that reads it (every piece of the body that
 * arrives is a task there): for a first sync's pages, about 0.6 of the page thread's time at 4×
 * CPU throttling went there (BENCHMARKS.md "Eleventh round"). Here it runs beside the page; the
 * frame comes back as a transferred ArrayBuffer (moved, not copied).
 *
 * This worker holds no key and decrypts nothing; it keeps nothing between requests. Same origin,
 * same cookie, same service worker as the page: the server sees the same request.
 */
import { fetchPullFrame, type PullFetchResult } from './fetchPullFrame';

export type PullFetchRequest = { id: number; body: string; accept: string };
export type PullFetchReply = PullFetchResult & { id: number };

/** What this file uses of a dedicated worker's global scope (the DOM library does not describe it). */
const scope = self as unknown as {
	onmessage: ((event: MessageEvent<PullFetchRequest>) => void) | null;
	postMessage(message: PullFetchReply, transfer?: Transferable[]): void;
};

scope.onmessage = async (event: MessageEvent<PullFetchRequest>) => {
	const { id, body, accept } = event.data;
	const result = await fetchPullFrame(body, accept);
	scope.postMessage({ ...result, id }, result.kind === 'frame' ? [result.frame] : []);
};
