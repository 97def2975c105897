import { TRPCClientError } from '@trpc/client';
import { decodePullFrame, PULL_FRAME_TYPE, type FramedPullOutput } from '$lib/shared/pullFrame';
import type { PullInput } from '$lib/shared/sync';

/**
 * sync.pull for the sync engine, answered as a binary frame (POST /sync/pull,
 * src/lib/shared/pullFrame.ts): the same procedure as `api.sync.pull`, without JSON text around
 * the records. Failures are thrown as the tRPC client throws them (`TRPCClientError`, with the
 * server's error shape when there is one), so `apiErrorInfo` and `toSyncError` read them alike:
 * no answer is `network`; an answer that is not a frame is the server's error or `internal`.
 */
export async function pullPage(input: Omit<PullInput, 'packed'>): Promise<FramedPullOutput> {
	let response: Response;
	try {
		response = await fetch('/sync/pull', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: PULL_FRAME_TYPE },
			body: JSON.stringify(input),
			credentials: 'same-origin'
		});
	} catch (cause) {
		throw TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause)));
	}
	if (!response.ok || response.headers.get('Content-Type') !== PULL_FRAME_TYPE) {
		const body: unknown = await response.json().catch(() => null);
		const shaped = body !== null && typeof body === 'object' && 'error' in body && typeof (body as { error: unknown }).error === 'object';
		throw TRPCClientError.from(shaped ? (body as { error: { message: string; code: number; data?: unknown } }) : new Error(`HTTP ${response.status}`), { meta: { response } });
	}
	try {
		return decodePullFrame(new Uint8Array(await response.arrayBuffer()));
	} catch (cause) {
		throw TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause)), { meta: { response } });
	}
}
