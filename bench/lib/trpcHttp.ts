import http from 'node:http';

/**
 * A minimal tRPC-over-HTTP client for load: node:http with keep-alive (much lighter on the CPU
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
export function callMutation(agent: http.Agent, baseUrl: string, path: string, input: unknown, token: string): Promise<CallResult> {
	const url = new URL(`/trpc/${path}`, baseUrl);
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
				response.on('end', () => {
					const raw = Buffer.concat(chunks);
					let data: unknown = null;
					try {
						data = (JSON.parse(raw.toString('utf8')) as { result?: { data?: unknown } }).result?.data ?? null;
					} catch {
						// not JSON: counted as an error by the caller through the status
					}
					resolve({ status: response.statusCode ?? 0, bytes: raw.length, ms: performance.now() - started, data });
				});
				response.on('error', reject);
			}
		);
		request.on('error', reject);
		request.end(body);
	});
}
