import type { SealedRecords } from '$lib/db/sealPacked';
import type { PackedRecords, PullInput, PullOutput } from '$lib/shared/sync';
import type { PageWorkerAnswer, PageWorkerRequest } from './pageWorkerProtocol';

let enabled = true;

/**
 * Turns the page-sealing worker off for this tab (pages are then fetched, opened and encrypted
 * on the main thread, as where workers are missing). A worker that crashes turns it off too. The
 * benchmark also uses it, where it cannot throttle a worker like the page.
 */
export function setPageWorkerEnabled(value: boolean): void {
	enabled = value;
}

/** What the worker made of a page: rows, or (encryption failed there) the records themselves. */
export type WorkerRecords = { rows: SealedRecords } | { packed: PackedRecords };

export type WorkerPage = {
	page: PullOutput;
	caseIds: string[];
	count: number;
	/** The page's records, once the worker has encrypted them; null when the page has none packed. */
	records: Promise<WorkerRecords> | null;
};

type Pending = {
	page: { resolve: (page: WorkerPage | null) => void; reject: (error: Error) => void };
	records?: { resolve: (records: WorkerRecords) => void; reject: (error: Error) => void };
};

/**
 * The main thread's side of the page-sealing worker (pageWorker.ts, protocol in
 * pageWorkerProtocol.ts).
 */
export class PageSealer {
	readonly #worker: Worker;
	readonly #pending = new Map<number, Pending>();
	#nextId = 1;
	#closed = false;

	/** A started worker, or null where workers are unavailable or turned off. */
	static create(): PageSealer | null {
		if (!enabled || typeof Worker === 'undefined') return null;
		try {
			return new PageSealer(new Worker(new URL('./pageWorker.ts', import.meta.url), { type: 'module', name: 'carnet-page-sealer' }));
		} catch {
			return null;
		}
	}

	private constructor(worker: Worker) {
		this.#worker = worker;
		worker.onmessage = (event: MessageEvent<PageWorkerAnswer>) => this.#answer(event.data);
		worker.onerror = (event) => {
			event.preventDefault();
			enabled = false;
			this.#fail(new Error(`page worker failed: ${event.message}`));
		};
		worker.onmessageerror = () => {
			enabled = false;
			this.#fail(new Error('page worker answer could not be read'));
		};
	}

	/**
	 * Pulls a page through the worker. Resolves with the page as soon as it is parsed (its
	 * records follow in `records`), or with null when the worker got no page (the caller then
	 * makes the call itself). Rejects when the worker failed as a whole.
	 */
	pull(input: PullInput, dataKey: CryptoKey): Promise<WorkerPage | null> {
		if (this.#closed) return Promise.reject(new Error('page worker closed'));
		const id = this.#nextId++;
		return new Promise((resolve, reject) => {
			this.#pending.set(id, { page: { resolve, reject } });
			this.#worker.postMessage({ id, input, dataKey } satisfies PageWorkerRequest);
		});
	}

	close(): void {
		this.#worker.terminate();
		this.#fail(new Error('page worker closed'));
	}

	#answer(answer: PageWorkerAnswer): void {
		const pending = this.#pending.get(answer.id);
		if (!pending) return;
		if (answer.kind === 'failed') {
			this.#pending.delete(answer.id);
			return pending.page.resolve(null);
		}
		if (answer.kind === 'page') {
			let records: Promise<WorkerRecords> | null = null;
			if (answer.sealing) {
				records = new Promise((resolve, reject) => (pending.records = { resolve, reject }));
				// Awaited by the pull when it writes the page; it may stop before (a failure elsewhere).
				records.catch(() => {});
			} else {
				this.#pending.delete(answer.id);
			}
			return pending.page.resolve({ page: answer.page, caseIds: answer.caseIds, count: answer.count, records });
		}
		this.#pending.delete(answer.id);
		pending.records?.resolve(answer.kind === 'sealed' ? { rows: answer.rows } : { packed: answer.packed });
	}

	#fail(error: Error): void {
		this.#closed = true;
		for (const pending of this.#pending.values()) {
			pending.page.reject(error);
			pending.records?.reject(error);
		}
		this.#pending.clear();
	}
}
