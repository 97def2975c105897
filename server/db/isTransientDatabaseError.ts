/**
 * True when a query failed because the database was away or busy for a moment (connection lost,
 * server restarting, too many connections, serialization or deadlock), not because of the data:
 * the same request may succeed a little later. Drizzle wraps driver errors, so causes are walked.
 */
export function isTransientDatabaseError(error: unknown): boolean {
	for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code !== 'string') continue;
		if (DRIVER_CODES.has(code)) return true;
		// SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57P0x operator intervention.
		if (/^(08|53)[0-9A-Z]{3}$/.test(code) || /^57P0[1-4]$/.test(code)) return true;
		if (code === '40001' || code === '40P01') return true;
	}
	return false;
}

const DRIVER_CODES = new Set([
	'CONNECTION_CLOSED',
	'CONNECTION_DESTROYED',
	'CONNECTION_ENDED',
	'CONNECT_TIMEOUT',
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EAI_AGAIN'
]);
