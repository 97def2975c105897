import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny round-robin HTTP proxy on loopback, standing in for a load balancer in front of several
 * Carnet processes. Each request goes to the next backend; X-Forwarded-For gets the client's
 * address appended, as nginx does; the response says which backend answered (x-carnet-backend).
 */
export interface RoundRobinProxy {
	url: string;
	/** Requests forwarded to each backend, in the order of `backends`. */
	counts: number[];
	close(): Promise<void>;
}

export async function startRoundRobinProxy(backends: string[], port: number): Promise<RoundRobinProxy> {
	const counts = backends.map(() => 0);
	let next = 0;
	const server: Server = createServer((incoming, outgoing) => {
		const index = next;
		next = (next + 1) % backends.length;
		counts[index]++;
		const target = new URL(incoming.url ?? '/', backends[index]);
		const forwardedFor = [incoming.headers['x-forwarded-for'], incoming.socket.remoteAddress].filter(Boolean).join(', ');
		const upstream = request(
			target,
			{ method: incoming.method, headers: { ...incoming.headers, host: target.host, 'x-forwarded-for': forwardedFor } },
			(response) => {
				outgoing.writeHead(response.statusCode ?? 502, { ...response.headers, 'x-carnet-backend': String(index) });
				response.pipe(outgoing);
			}
		);
		upstream.on('error', () => {
			if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
			outgoing.end('bad gateway');
		});
		incoming.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const { port: bound } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${bound}`,
		counts,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
