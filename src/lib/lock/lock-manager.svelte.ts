import { KDF_SALT_BYTES, deriveWrappingKey, randomBytes, type KdfParams } from '$lib/crypto';
// The store's modules one by one, not `$lib/db`: the unlock screen loads this module, and the
// encrypted tables' schemas (zod) are loaded only once the store is open (ARCHITECTURE.md).
import { StoreError } from '$lib/db/StoreError';
import { isUnlocked } from '$lib/db/session';
import { lockKeyring, unlockKeyring, unlockWithWrappedKey } from '$lib/db/keyring';
import { getFailedUnlocks, setFailedUnlocks } from '$lib/db/failedUnlocks';
import { wipeStore } from '$lib/db/wipeStore';
import type { DevicePolicy } from '$lib/shared/sync';
import {
	ACTIVITY_EVENTS,
	CHECK_INTERVAL_MS,
	DEFAULT_IDLE_TIMEOUT_SECONDS,
	HIDDEN_LOCK_MS,
	MAX_IDLE_TIMEOUT_SECONDS,
	MAX_PASSWORD_ATTEMPTS,
	MAX_PIN_ATTEMPTS,
	MIN_IDLE_TIMEOUT_SECONDS,
	WARN_AFTER_FAILURES
} from './lockPolicy';
import { PIN_KDF_PARAMS } from './pinKdfParams';

/**
 * The lock of the app. It starts locked, so a reload is locked; it locks after the idle timeout,
 * after 60 s hidden, or on demand. Locking drops the data key and tells every `onLock`
 * subscriber to drop its decrypted values. Time is read from timestamps on each check (a
 * short interval, plus every return to the foreground), never from one long timer, which a
 * background tab would throttle.
 */
export class LockManager {
	locked = $state(true);
	reason = $state<LockReason>('reload');
	/** An unlock is running (the KDF takes about a second). */
	busy = $state(false);
	/** Consecutive wrong passwords, persisted; the store is wiped at `MAX_PASSWORD_ATTEMPTS`. */
	failedAttempts = $state(0);
	/** The store was wiped after too many failures: an online sign-in is needed. */
	wiped = $state(false);
	/** Quick PIN tries left; 0 when there is no quick PIN (never set, reload, or exhausted). */
	pinAttemptsLeft = $state(0);

	remainingAttempts = $derived(Math.max(0, MAX_PASSWORD_ATTEMPTS - this.failedAttempts));
	warnBeforeWipe = $derived(this.failedAttempts >= WARN_AFTER_FAILURES);
	hasPin = $derived(this.pinAttemptsLeft > 0);

	#now: () => number;
	#window: EventTarget | null;
	#document: (EventTarget & { hidden: boolean }) | null;
	#pinKdfParams: KdfParams;
	#idleMs = DEFAULT_IDLE_TIMEOUT_SECONDS * 1000;
	#lastActivity: number;
	#hiddenSince: number | null = null;
	#pin: { wrappedKey: Uint8Array<ArrayBuffer>; salt: Uint8Array<ArrayBuffer> } | null = null;
	#clearCallbacks = new Set<(reason: LockReason) => void>();
	#stop: (() => void) | null = null;

	constructor(options: LockManagerOptions = {}) {
		this.#now = options.now ?? Date.now;
		this.#window = options.window ?? (typeof window === 'undefined' ? null : window);
		this.#document = options.document ?? (typeof document === 'undefined' ? null : document);
		this.#pinKdfParams = options.pinKdfParams ?? PIN_KDF_PARAMS;
		this.#lastActivity = this.#now();
	}

	/** Starts watching activity and visibility; returns `stop`. Call once, in the browser. */
	start(): () => void {
		if (this.#stop) return this.#stop;
		const onActivity = () => this.recordActivity();
		const onVisibility = () => this.#visibilityChanged();
		for (const type of ACTIVITY_EVENTS) this.#window?.addEventListener(type, onActivity, { capture: true, passive: true });
		this.#document?.addEventListener('visibilitychange', onVisibility);
		const timer = setInterval(() => this.check(), CHECK_INTERVAL_MS);
		this.#stop = () => {
			for (const type of ACTIVITY_EVENTS) this.#window?.removeEventListener(type, onActivity, { capture: true });
			this.#document?.removeEventListener('visibilitychange', onVisibility);
			clearInterval(timer);
			this.#stop = null;
		};
		if (this.#document?.hidden) this.#hiddenSince = this.#now();
		return this.#stop;
	}

	stop(): void {
		this.#stop?.();
	}

	/** Reads the persisted failure count (for the warning before the first try). */
	async load(): Promise<void> {
		this.failedAttempts = (await getFailedUnlocks()) ?? 0;
	}

	/** Applies the organisation's idle timeout (`DevicePolicy.lockTimeoutSeconds`), within bounds. */
	applyPolicy(policy: Pick<DevicePolicy, 'lockTimeoutSeconds'>): void {
		const seconds = Number.isFinite(policy.lockTimeoutSeconds)
			? policy.lockTimeoutSeconds
			: DEFAULT_IDLE_TIMEOUT_SECONDS;
		this.#idleMs = Math.min(MAX_IDLE_TIMEOUT_SECONDS, Math.max(MIN_IDLE_TIMEOUT_SECONDS, seconds)) * 1000;
	}

	get idleTimeoutSeconds(): number {
		return this.#idleMs / 1000;
	}

	recordActivity(): void {
		this.#lastActivity = this.#now();
	}

	/** Compares timestamps and locks if the idle or hidden limit has passed. */
	check(): void {
		if (this.locked) return;
		const now = this.#now();
		if (this.#hiddenSince !== null && now - this.#hiddenSince > HIDDEN_LOCK_MS) this.lock('hidden');
		else if (now - this.#lastActivity > this.#idleMs) this.lock('idle');
	}

	/** Subscribes a callback that drops decrypted values on lock; returns the unsubscribe function. */
	onLock(callback: (reason: LockReason) => void): () => void {
		this.#clearCallbacks.add(callback);
		return () => this.#clearCallbacks.delete(callback);
	}

	lock(reason: LockReason): void {
		lockKeyring();
		const wasLocked = this.locked;
		this.locked = true;
		this.reason = reason;
		if (wasLocked) return;
		for (const callback of this.#clearCallbacks) {
			try {
				callback(reason);
			} catch (error) {
				// One failing subscriber must not keep the others' plaintext in memory.
				console.error('onLock callback failed', error);
			}
		}
	}

	/**
	 * Unlocks with the account password, offline. The failure is counted before the attempt, so
	 * closing the tab during the KDF does not give a free try; the 10th consecutive failure
	 * wipes the store.
	 *
	 * @param options.pin also set up a quick PIN for this tab (kept in memory only).
	 */
	async unlock(password: string, options: { pin?: string } = {}): Promise<UnlockOutcome> {
		if (this.busy) return 'busy';
		this.busy = true;
		try {
			const failures = (await getFailedUnlocks()) ?? 0;
			if (failures >= MAX_PASSWORD_ATTEMPTS) return await this.#wipe();
			await setFailedUnlocks(failures + 1);
			const pinSetup = options.pin ? await this.#derivePinKey(options.pin) : null;
			let rewrapped: Uint8Array<ArrayBuffer> | null;
			try {
				({ rewrapped } = await unlockKeyring(password, { rewrapUnder: pinSetup?.key }));
			} catch (error) {
				if (!(error instanceof StoreError && error.code === 'wrong-password')) {
					await setFailedUnlocks(failures);
					throw error;
				}
				this.failedAttempts = failures + 1;
				return this.failedAttempts >= MAX_PASSWORD_ATTEMPTS ? await this.#wipe() : 'wrong-password';
			}
			await setFailedUnlocks(0);
			this.failedAttempts = 0;
			if (pinSetup && rewrapped) {
				this.#pin = { wrappedKey: rewrapped, salt: pinSetup.salt };
				this.pinAttemptsLeft = MAX_PIN_ATTEMPTS;
			}
			const { getMeta } = await import('$lib/db/meta');
			const policy = await getMeta('policy');
			if (policy) this.applyPolicy(policy);
			this.#opened();
			return 'unlocked';
		} finally {
			this.busy = false;
		}
	}

	/** Unlocks with the quick PIN; after `MAX_PIN_ATTEMPTS` wrong PINs the PIN is forgotten. */
	async unlockWithPin(pin: string): Promise<UnlockOutcome> {
		if (this.busy) return 'busy';
		const saved = this.#pin;
		if (!saved) return 'pin-unavailable';
		this.busy = true;
		try {
			const key = await deriveWrappingKey(pin, saved.salt, this.#pinKdfParams);
			try {
				await unlockWithWrappedKey(saved.wrappedKey, key);
			} catch (error) {
				if (!(error instanceof StoreError && error.code === 'wrong-password')) throw error;
				this.pinAttemptsLeft = Math.max(0, this.pinAttemptsLeft - 1);
				if (this.pinAttemptsLeft > 0) return 'wrong-pin';
				this.forgetPin();
				return 'pin-exhausted';
			}
			this.pinAttemptsLeft = MAX_PIN_ATTEMPTS;
			this.#opened();
			return 'unlocked';
		} finally {
			this.busy = false;
		}
	}

	/**
	 * Adopts a data key installed outside `unlock` (the keyring just created or unlocked at an
	 * online sign-in, where the password was already at hand). Does nothing while no key is installed.
	 */
	markUnlocked(): void {
		if (!isUnlocked()) return;
		this.failedAttempts = 0;
		this.#opened();
	}

	forgetPin(): void {
		this.#pin = null;
		this.pinAttemptsLeft = 0;
	}

	/** After an online sign-in re-created the store following a wipe. */
	clearWiped(): void {
		this.wiped = false;
		this.failedAttempts = 0;
	}

	#opened(): void {
		this.#lastActivity = this.#now();
		this.#hiddenSince = this.#document?.hidden ? this.#now() : null;
		this.locked = false;
		this.reason = 'none';
	}

	async #wipe(): Promise<UnlockOutcome> {
		this.forgetPin();
		this.lock('wiped');
		await wipeStore();
		this.failedAttempts = 0;
		this.wiped = true;
		return 'wiped';
	}

	async #derivePinKey(pin: string) {
		const salt = randomBytes(KDF_SALT_BYTES);
		return { salt, key: await deriveWrappingKey(pin, salt, this.#pinKdfParams) };
	}

	#visibilityChanged(): void {
		if (this.#document?.hidden) {
			this.#hiddenSince = this.#now();
			return;
		}
		// Back in the foreground: decide before anything is painted from a stale state.
		this.check();
		this.#hiddenSince = null;
		this.#lastActivity = this.locked ? this.#lastActivity : this.#now();
	}
}

/** The app's lock. Tests build their own `LockManager` with a fake clock and document. */
export const lockManager = new LockManager();

export type LockReason = 'none' | 'reload' | 'idle' | 'hidden' | 'manual' | 'logout' | 'wiped';

export type UnlockOutcome = 'unlocked' | 'wrong-password' | 'wiped' | 'wrong-pin' | 'pin-exhausted' | 'pin-unavailable' | 'busy';

export type LockManagerOptions = {
	/** Clock in milliseconds; defaults to `Date.now`. */
	now?: () => number;
	/** Where activity events are listened to; defaults to `window`. */
	window?: EventTarget;
	/** Source of `hidden` and `visibilitychange`; defaults to `document`. */
	document?: EventTarget & { hidden: boolean };
	/** KDF of the quick PIN; tests pass lighter parameters. */
	pinKdfParams?: KdfParams;
};
