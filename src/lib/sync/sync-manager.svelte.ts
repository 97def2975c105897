import { countOutbox, getMeta } from '$lib/db';
import type { PullProgress } from './pullChanges';
import type { SyncIssue } from './pushOutbox';
import { SyncError, type SyncErrorCode } from './SyncError';
import { syncWithServer, type SyncRunResult } from './syncWithServer';
import { toSyncError } from './toSyncError';

/** Every few minutes while online. */
const PERIOD_MS = 3 * 60_000;
const BACKOFF_MS = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000];

/**
 * Runs sync after unlock, periodically while online, on reconnect and on demand; retries with
 * backoff; exposes the status bar's state. One run at a time; a request during a run queues one more.
 */
class SyncManager {
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	running = $state(false);
	lastSyncAt = $state<string | null>(null);
	pending = $state(0);
	progress = $state<PullProgress | null>(null);
	lastError = $state<SyncErrorCode | null>(null);
	issues = $state<SyncIssue[]>([]);
	/** Cases dropped by the last pull (assignment ended), for a calm notice. */
	revokedNotice = $state<{ cases: number; droppedLocalWork: number } | null>(null);
	/** Bumped after every run that changed the store (`SyncRunResult.changed`): pages reload their data. */
	revision = $state(0);

	#timer: ReturnType<typeof setTimeout> | null = null;
	#failures = 0;
	#again = false;
	#started = false;
	#onWiped: (() => void) | null = null;
	#onUnauthenticated: (() => void) | null = null;

	/** Starts the schedule (call after unlock). */
	start(handlers: { onWiped: () => void; onUnauthenticated: () => void }): void {
		this.#onWiped = handlers.onWiped;
		this.#onUnauthenticated = handlers.onUnauthenticated;
		if (!this.#started && typeof window !== 'undefined') {
			window.addEventListener('online', this.#onOnline);
			window.addEventListener('offline', this.#onOffline);
			this.#started = true;
		}
		void this.refreshCounts();
		void this.syncNow();
	}

	/** Stops the schedule and forgets what it showed (lock, sign-out). */
	stop(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		if (this.#started && typeof window !== 'undefined') {
			window.removeEventListener('online', this.#onOnline);
			window.removeEventListener('offline', this.#onOffline);
		}
		this.#started = false;
		this.issues = [];
		this.progress = null;
		this.revokedNotice = null;
	}

	async refreshCounts(): Promise<void> {
		try {
			this.pending = await countOutbox();
			this.lastSyncAt = (await getMeta('lastSyncAt')) ?? null;
		} catch {
			// locked or no store: keep what is shown
		}
	}

	/** Runs a sync now (the "Synchroniser" button, unlock, reconnect, a queued note). */
	async syncNow(): Promise<SyncRunResult | null> {
		if (this.running) {
			this.#again = true;
			return null;
		}
		if (!this.online) {
			this.lastError = 'network';
			await this.refreshCounts();
			return null;
		}
		this.running = true;
		this.lastError = null;
		try {
			const result = await syncWithServer((progress) => {
				this.progress = progress;
			});
			this.#failures = 0;
			this.issues = [...this.issues, ...result.issues];
			if (result.pull.revokedCaseIds.length > 0) {
				this.revokedNotice = { cases: result.pull.revokedCaseIds.length, droppedLocalWork: result.pull.droppedLocalWork };
			}
			// A run that changed nothing (the periodic sync of an idle device) reloads nothing.
			if (result.changed) this.revision++;
			this.#schedule(PERIOD_MS);
			return result;
		} catch (error) {
			const syncError = toSyncError(error);
			this.lastError = syncError.code;
			if (syncError.code === 'wiped') this.#onWiped?.();
			else if (syncError.code === 'unauthenticated') this.#onUnauthenticated?.();
			else if (syncError.code !== 'locked') this.#schedule(BACKOFF_MS[Math.min(this.#failures++, BACKOFF_MS.length - 1)]);
			if (!(error instanceof SyncError) && syncError.code === 'server') console.error('sync failed', error);
			return null;
		} finally {
			this.running = false;
			this.progress = null;
			await this.refreshCounts();
			if (this.#again) {
				this.#again = false;
				void this.syncNow();
			}
		}
	}

	dismissIssue(mutationId: string): void {
		this.issues = this.issues.filter((issue) => issue.mutationId !== mutationId);
	}

	#schedule(delay: number): void {
		if (!this.#started) return;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.syncNow(), delay);
	}

	#onOnline = () => {
		this.online = true;
		void this.syncNow();
	};

	#onOffline = () => {
		this.online = false;
	};
}

export const sync = new SyncManager();
