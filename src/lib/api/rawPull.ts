import type { PullInput, PullOutput } from '$lib/shared/sync';

/**
 * sync.pull as raw bytes: the same tRPC call as `api.sync.pull.mutate` (POST /trpc/sync.pull,
 * the input as JSON, the session cookie), but the answer is left unparsed, so that the
 * page-sealing worker parses it instead of the main thread. Null on anything but a 2xx answer
 * (network failure included): the caller then makes the call through the tRPC client, whose
 * error is classified like any other (apiErrorInfo).
 */
export async function fetchPullBody(input: PullInput): Promise<ArrayBuffer | null> {
	try {
		const response = await fetch('/trpc/sync.pull', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(input),
			credentials: 'same-origin'
		});
		return response.ok ? await response.arrayBuffer() : null;
	} catch {
		return null;
	}
}

const decoder = new TextDecoder();

/** The page in a successful sync.pull answer body (`{ result: { data } }`), or null when it holds none. */
export function parsePullBody(body: ArrayBuffer): PullOutput | null {
	try {
		const data = (JSON.parse(decoder.decode(body)) as { result?: { data?: unknown } }).result?.data;
		return data && typeof data === 'object' && 'wipe' in data ? (data as PullOutput) : null;
	} catch {
		return null;
	}
}
