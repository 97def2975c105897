/** What a pull request came to: the frame, another answer (an error shape, a page), or no answer. */
export type PullFetchResult =
	| { kind: 'frame'; frame: ArrayBuffer }
	| { kind: 'other'; status: number; contentType: string | null; text: string }
	| { kind: 'network'; message: string };

/**
 * POST /sync/pull with a JSON body, the frame's bytes read whole when the server answers one
 * (`accept`, its content type). Used in the pull worker (`pullFetch.worker.ts`) and, without it,
 * on the page's thread (`pullPage.ts`). Never throws.
 */
export async function fetchPullFrame(body: string, accept: string): Promise<PullFetchResult> {
	try {
		const response = await fetch('/sync/pull', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: accept },
			body,
			credentials: 'same-origin'
		});
		const contentType = response.headers.get('Content-Type');
		if (response.ok && contentType === accept) return { kind: 'frame', frame: await response.arrayBuffer() };
		return { kind: 'other', status: response.status, contentType, text: await response.text() };
	} catch (error) {
		return { kind: 'network', message: error instanceof Error ? error.message : String(error) };
	}
}
