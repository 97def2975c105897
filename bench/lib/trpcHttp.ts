import http from 'node:http';
import { decodePullFrame, type FramedPullOutput } from '../../src/lib/shared/pullFrame';

/**
 * A minimal HTTP client of the app's API for load (tRPC, and sync.pull's binary frames): node:http with keep-alive (much lighter on the CPU
 * than fetch, which matters when the load generator shares two cores with the server).
 */
export function createAgent(sockets: number): http.Agent {
	return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

export interface CallResult {
	status: number;
	/** Bytes of the response body. */
	bytes: number;
	ms: number;
	data: unknown;
}

/** POSTs a tRPC mutation (`path` like `sync.pull`) with the session cookie. */
export async function callMutation(agent: http.Agent, baseUrl: string, path: string, input: unknown, token: string): Promise<CallResult> {
	const { status, raw, ms } = await post(agent, new URL(`/trpc/${path}`, baseUrl), input, token);
	let data: unknown = null;
	try {
		data = (JSON.parse(raw.toString('utf8')) as { result?: { data?: unknown } }).result?.data ?? null;
	} catch {
		// not JSON: counted as an error by the caller through the status
	}
	return { status, bytes: raw.length, ms, data };
}

/** sync.pull as devices send it: POST /sync/pull, answered as a binary frame (decoded into `data`). */
export async function callPullFrame(agent: http.Agent, baseUrl: string, input: unknown, token: string): Promise<CallResult & { data: FramedPullOutput | null }> {
	const { status, raw, ms } = await post(agent, new URL('/sync/pull', baseUrl), input, token);
	let data: FramedPullOutput | null = null;
	if (status === 200) data = decodePullFrame(new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.length));
	return { status, bytes: raw.length, ms, data };
}

function post(agent: http.Agent, url: URL, input: unknown, token: string): Promise<{ status: number; raw: Buffer; ms: number }> {
	const body = Buffer.from(JSON.stringify(input));
	const started = performance.now();
	return new Promise((resolve, reject) => {
		const request = http.request(
			{
				agent,
				host: '127.0.0.1',
				port: url.port,
				method: 'POST',
				path: url.pathname,
				headers: {
					host: url.host,
					'content-type': 'application/json',
					'content-length': body.length,
					cookie: `carnet_session=${token}`
				}
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, raw: Buffer.concat(chunks), ms: performance.now() - started }));
				response.on('error', reject);
			}
		);
		request.on('error', reject);
		request.end(body);
	});
}
