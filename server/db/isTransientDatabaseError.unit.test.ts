import { describe, expect, it } from 'vitest';
import { isTransientDatabaseError } from './isTransientDatabaseError';
import { isPostgresDriverFault } from './guardPostgresDriverFaults';

describe('isTransientDatabaseError', () => {
	it('knows connection losses, restarts, overload, serialization and deadlocks', () => {
		for (const code of ['CONNECTION_CLOSED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', '57P01', '57P03', '08006', '53300', '40001', '40P01']) {
			expect(isTransientDatabaseError(Object.assign(new Error('x'), { code })), code).toBe(true);
		}
	});
	it('walks drizzle’s wrapping causes', () => {
		const cause = Object.assign(new Error('terminating connection'), { code: '57P01' });
		expect(isTransientDatabaseError(new Error('Failed query', { cause }))).toBe(true);
	});
	it('leaves data errors alone', () => {
		for (const code of ['P0001', '23505', '22P02', '42P01', undefined]) {
			expect(isTransientDatabaseError(Object.assign(new Error('x'), { code })), String(code)).toBe(false);
		}
		expect(isTransientDatabaseError(null)).toBe(false);
	});
});

describe('isPostgresDriverFault', () => {
	it('recognises postgres.js writing to a closed socket from its write timer', () => {
		const fault = new TypeError("Cannot read properties of null (reading 'write')");
		fault.stack = `${fault.message}\n    at Immediate.nextWrite (file:///app/node_modules/postgres/src/connection.js:255:22)`;
		expect(isPostgresDriverFault(fault)).toBe(true);
	});
	it('lets every other error end the process', () => {
		expect(isPostgresDriverFault(new TypeError("Cannot read properties of null (reading 'write')"))).toBe(false);
		expect(isPostgresDriverFault(new Error('boom'))).toBe(false);
	});
});
