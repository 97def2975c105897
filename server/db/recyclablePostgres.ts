import type { Sql } from 'postgres';

/**
 * A postgres.js client that can be swapped for a fresh pool without the callers noticing:
 * `client` forwards every call to the current pool. Needed because postgres.js 3.4.9 can leave
 * a connection unable to write again after PostgreSQL drops it (see guardPostgresDriverFaults).
 */
export function createRecyclablePostgres(create: () => Sql): RecyclablePostgres {
	let current = create();
	let generation = 0;
	const client = new Proxy(function recyclablePostgres() {} as unknown as Sql, {
		get(_target, property) {
			const value = Reflect.get(current, property, current);
			return typeof value === 'function' ? value.bind(current) : value;
		},
		apply(_target, _this, args) {
			return (current as unknown as (...a: unknown[]) => unknown)(...args);
		}
	});
	return {
		client,
		get generation() {
			return generation;
		},
		async recycle() {
			const old = current;
			current = create();
			generation++;
			// Queries still on the old pool fail (the request answers 500 and the device retries).
			await old.end({ timeout: 5 }).catch(() => {});
		},
		end: (options) => current.end(options)
	};
}

export interface RecyclablePostgres {
	client: Sql;
	/** How many times the pool was replaced. */
	readonly generation: number;
	recycle(): Promise<void>;
	end(options?: { timeout?: number }): Promise<void>;
}
