import { apiErrorInfo, type ApiErrorInfo } from '$lib/api/client';
import { describeError } from '$lib/i18n/errors';

/**
 * What a screen reads from the server: the last value received, whether a request is running,
 * and the French sentence of the last failure (the screen's alert). A failed load keeps the value
 * shown so far, so a screen never empties itself because the network dropped.
 */
export class RemoteData<T> {
	value = $state() as T;
	/** True from the start until the first load ends, then again during each load. */
	loading = $state(true);
	error = $state<string | null>(null);
	#fetch: () => Promise<T>;

	constructor(initial: T, fetch: () => Promise<T>) {
		this.value = initial;
		this.#fetch = fetch;
	}

	/** Loads the value again; never throws. */
	load(): Promise<void> {
		this.error = null;
		return this.loadWith(this.#fetch);
	}

	/** Loads with another request (a next page, say) that returns the whole new value; an error already shown stays. */
	async loadWith(fetch: () => Promise<T>): Promise<void> {
		this.loading = true;
		try {
			this.value = await fetch();
		} catch (error) {
			this.fail(error);
		} finally {
			this.loading = false;
		}
	}

	/** Shows the failure of any request of this screen in its alert. */
	fail(error: unknown): void {
		this.error = describeError(apiErrorInfo(error));
	}

	/**
	 * Runs a change on the server, then loads again. A failed change is reported to `report`
	 * (by default the screen's alert) and nothing is loaded. Resolves once all is done; never throws.
	 */
	async change(run: () => Promise<unknown>, report?: (message: string, info: ApiErrorInfo) => unknown): Promise<void> {
		try {
			await run();
		} catch (error) {
			const info = apiErrorInfo(error);
			const message = describeError(info);
			if (report) await report(message, info);
			else this.error = message;
			return;
		}
		await this.load();
	}
}
