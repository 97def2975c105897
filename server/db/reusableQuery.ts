import type { Executor } from './client';

/**
 * A query whose SQL drizzle renders once per process instead of on every call, runnable on the
 * database or inside any transaction. Rendering a query builder costs more CPU than sending the
 * query (measured: 1.8 ms for the case-grants union against 0.2 ms for a raw round trip), and
 * the hot paths of sync (every pull and every pushed mutation) run the same few queries. The
 * statement is also prepared on the PostgreSQL side, which stops re-planning it.
 *
 * Values go in through drizzle placeholders (`sql.placeholder('name')`). A placeholder compared
 * with a column is sent as given, not through the column's encoder: pass dates as ISO strings.
 *
 * drizzle 0.45 has no public API to run a prepared query in another session; this uses what its
 * own `prepare()` uses (`_prepare()`, the executor's `_.session.prepareQuery`), on both drivers.
 * The sync and policy suites run every such query on PGlite and PostgreSQL.
 */
export function reusableQuery<Row>(build: (db: Executor) => PromiseLike<Row[]>): (executor: Executor, values: Record<string, unknown>) => Promise<Row[]> {
	let rendered: { query: { sql: string; params: unknown[] }; fields: unknown; joinsNotNullableMap: unknown } | null = null;
	return (executor, values) => {
		if (!rendered) {
			const prepared = (build(executor) as unknown as Preparable)._prepare();
			rendered = { query: { sql: prepared.queryString, params: prepared.params }, fields: prepared.fields, joinsNotNullableMap: prepared.joinsNotNullableMap };
		}
		const session = (executor as unknown as { _: { session: Session } })._.session;
		// Named, so that PostgreSQL keeps the statement per connection and stops planning it on every
		// call (drizzle sends unnamed statements otherwise: planning the grants union costs 2 ms).
		const query = session.prepareQuery(rendered.query, rendered.fields, 'carnet_reusable', true);
		query.joinsNotNullableMap = rendered.joinsNotNullableMap;
		return query.execute(values) as Promise<Row[]>;
	};
}

/** What drizzle's select builders have under their public `prepare()`. */
interface Preparable {
	_prepare(name?: string): DrizzlePrepared;
}

interface DrizzlePrepared {
	queryString: string;
	params: unknown[];
	fields?: unknown;
	joinsNotNullableMap?: unknown;
	execute(values?: Record<string, unknown>): Promise<unknown>;
}

interface Session {
	prepareQuery(query: { sql: string; params: unknown[] }, fields: unknown, name: string | undefined, isResponseInArrayMode: boolean): DrizzlePrepared;
}
