import type { Database, Executor } from './client';

/**
 * Group commit: work items submitted while a transaction is committing wait for the next one
 * and go in together (one commit, one WAL flush, one turn of the audit chain lock for all of
 * them). Alone, an item goes at once. `write` gets the items of one batch, in submission order,
 * and returns one result per item. If a shared transaction fails, each of its items is retried
 * in a transaction of its own, so that one failure fails only its own item's caller.
 * With `transaction: false`, `write` gets the database itself: for a write that is one
 * statement, atomic in its own implicit transaction, and needs no BEGIN and COMMIT.
 */
export function groupCommit<Item, Result>(
	write: (tx: Executor, items: Item[]) => Promise<Result[]>,
	options: { maxBatch: number; transaction?: boolean }
): (db: Database, items: readonly Item[]) => Promise<Result[]> {
	type Waiting = { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void };
	type Queue = { waiting: Waiting[]; flushing: boolean };
	const queues = new WeakMap<Database, Queue>();
	const run = (db: Database, items: Item[]) => (options.transaction === false ? write(db, items) : db.transaction((tx) => write(tx, items)));

	async function flush(db: Database, queue: Queue): Promise<void> {
		queue.flushing = true;
		try {
			while (queue.waiting.length > 0) {
				const batch = queue.waiting.splice(0, options.maxBatch);
				try {
					const results = await run(db, batch.map((w) => w.item));
					batch.forEach((w, i) => w.resolve(results[i]));
				} catch (error) {
					if (batch.length === 1) {
						batch[0].reject(error);
						continue;
					}
					for (const w of batch) {
						await run(db, [w.item]).then(([result]) => w.resolve(result), w.reject);
					}
				}
			}
		} finally {
			queue.flushing = false;
		}
	}

	return (db, items) => {
		let queue = queues.get(db);
		if (!queue) queues.set(db, (queue = { waiting: [], flushing: false }));
		const q = queue;
		const done = items.map((item) => new Promise<Result>((resolve, reject) => q.waiting.push({ item, resolve, reject })));
		if (!q.flushing) void flush(db, q);
		return Promise.all(done);
	};
}
