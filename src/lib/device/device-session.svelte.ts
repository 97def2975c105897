// The unlock screen is reached through this module: it imports the store's modules one by one,
// and loads the encrypted tables (zod schemas), the journal and the sync engine only when it
// needs them, after the screen is shown (ARCHITECTURE.md, "App start").
import { StoreError } from '$lib/db/StoreError';
import { closeStore, currentStoreName, openStore, openStoreByName } from '$lib/db/session';
import { createKeyring, hasKeyring, prepareUnlock, rewrapKeyring, unlockKeyring } from '$lib/db/keyring';
import { wipeStore } from '$lib/db/wipeStore';
import { lockManager } from '$lib/lock';
import { session, type Me } from '$lib/session/session-manager.svelte';

type SyncManager = (typeof import('$lib/sync'))['sync'];

/** The sync engine once loaded (after the first unlock or sign-in); null before. */
let loadedSync: SyncManager | null = null;

async function syncEngine(): Promise<SyncManager> {
	loadedSync ??= (await import('$lib/sync')).sync;
	return loadedSync;
}

const store = () => import('$lib/db');

/** What the unlocked app needs beyond the unlock screen: the encrypted tables, the journal, the sync engine. */
function unlockedModules() {
	return Promise.all([store(), import('$lib/journal'), syncEngine()]);
}

/** localStorage key of the last store name (a hash; no user id or name is kept in clear). */
const LAST_STORE_KEY = 'carnet.store';

export type DevicePhase =
	/** Finding out who is signed in and what the device holds. */
	| 'checking'
	/** Not signed in and nothing to unlock: the login page. */
	| 'signed-out'
	/** A store with a keyring: the unlock screen. */
	| 'locked'
	/** Unlocked: the app renders from the decrypted store. */
	| 'unlocked'
	/** Offline without a store, or the store has no keyring: an online sign-in is needed. */
	| 'needs-online-sign-in'
	/** The max offline period passed: the device must reconnect. */
	| 'offline-too-long';

/**
 * The field device's life cycle around the encrypted store: which store is open, whether it is
 * locked, starting sync once unlocked, and signing out without losing unsynced work.
 */
class DeviceSession {
	phase = $state<DevicePhase>('checking');
	/** French sentence for the last refusal (sign-out while offline with unsynced work...). */
	message = $state<string | null>(null);
	#prefetched = false;

	constructor() {
		session.onPasswordChange((oldPassword, newPassword) => this.passwordChanged(oldPassword, newPassword));
		lockManager.onLock(() => {
			loadedSync?.stop();
			if (this.phase === 'unlocked') this.phase = 'locked';
		});
	}

	/** On app start or reload: online, ask the server who this is; offline, reopen the last store. */
	async resume(): Promise<void> {
		let me: Me | null = null;
		let offline = false;
		try {
			me = await session.refresh();
		} catch {
			offline = true;
		}
		if (offline) {
			const name = localStorage.getItem(LAST_STORE_KEY);
			if (!name) return this.#set('needs-online-sign-in');
			await openStoreByName(name);
			if (!(await hasKeyring())) return this.#set('needs-online-sign-in');
			return this.#set(lockManager.locked ? 'locked' : 'unlocked');
		}
		if (!me) return this.#set('signed-out');
		if (me.role !== 'worker') return this.#set('unlocked');
		await openStore(me.id);
		localStorage.setItem(LAST_STORE_KEY, currentStoreName()!);
		if (!lockManager.locked) return this.#set('unlocked');
		if (!(await hasKeyring())) return this.#set('needs-online-sign-in');
		this.#set('locked');
	}

	/**
	 * Each time the unlock screen waits for the password: at idle time, loads argon2id and commits
	 * the memory it will use for this keyring (see `prepareUnlock`), and, once per page, what the
	 * unlocked app needs (the store's schemas, the journal, the sync engine), so that neither the
	 * KDF nor the caseload waits for them after "Déverrouiller". A failure is left to the real use
	 * to report.
	 */
	prefetch(): void {
		if (typeof window === 'undefined') return;
		const modules = !this.#prefetched;
		this.#prefetched = true;
		const load = () => void Promise.all([prepareUnlock(), modules && unlockedModules()]).catch(() => {});
		if ('requestIdleCallback' in window) window.requestIdleCallback(load, { timeout: 1_000 });
		else setTimeout(load, 300);
	}

	/**
	 * Right after an online sign-in (the password is at hand once): creates the keyring on a new
	 * device, or unlocks the existing one. When the account password changed elsewhere, the old
	 * keyring cannot be opened: with nothing unsynced it is replaced; otherwise the unlock screen
	 * asks for the previous password, so no unsynced note is lost.
	 */
	async signIn(userId: string, password: string): Promise<'unlocked' | 'needs-previous-password'> {
		await openStore(userId);
		localStorage.setItem(LAST_STORE_KEY, currentStoreName()!);
		if (!(await hasKeyring())) {
			await createKeyring(password);
		} else {
			try {
				await unlockKeyring(password);
			} catch (error) {
				if (!(error instanceof StoreError && error.code === 'wrong-password')) throw error;
				if ((await (await store()).countOutbox()) > 0) {
					this.message = 'Votre mot de passe a changé depuis la dernière utilisation de cet appareil. Saisissez l’ancien mot de passe pour récupérer les notes non synchronisées.';
					return 'needs-previous-password';
				}
				await wipeStore();
				await createKeyring(password);
			}
		}
		lockManager.clearWiped();
		lockManager.markUnlocked();
		return 'unlocked';
	}

	/** After unlock: policy, journal key, offline limit, then sync. */
	async afterUnlock(): Promise<void> {
		const [{ getMeta, setMeta, requestPersistentStorage }, { setJournalSecret }, sync] = await unlockedModules();
		const secret = await getMeta('journalSecret');
		if (secret) await setJournalSecret(secret);
		const policy = await getMeta('policy');
		if (policy) lockManager.applyPolicy(policy);
		if (session.me) await setMeta('profile', session.me);
		else {
			const profile = await getMeta('profile');
			if (profile) session.me = profile as unknown as Me;
		}
		const lastSyncAt = await getMeta('lastSyncAt');
		if (!sync.online && lastSyncAt && policy) {
			const limit = new Date(lastSyncAt).getTime() + policy.maxOfflineDays * 86_400_000;
			if (Date.now() > limit) {
				lockManager.lock('manual');
				return this.#set('offline-too-long');
			}
		}
		void requestPersistentStorage();
		this.#set('unlocked');
		sync.start({
			onWiped: () => {
				this.message = 'Cet appareil a été révoqué ou le compte désactivé : ses données ont été effacées.';
				lockManager.lock('wiped');
				this.#set('needs-online-sign-in');
			},
			onUnauthenticated: () => {
				// The session expired: sync waits for the next online sign-in; the store stays usable.
			}
		});
	}

	/** Re-wraps the data key under the new password (online password change). */
	async passwordChanged(oldPassword: string, newPassword: string): Promise<void> {
		if (!session.me || session.me.role !== 'worker') return;
		await openStore(session.me.id);
		if (await hasKeyring()) await rewrapKeyring(oldPassword, newPassword);
		else await createKeyring(newPassword);
		lockManager.markUnlocked();
	}

	/**
	 * Signs out: pushes first; refuses while unsynced work cannot reach the server. Then deletes
	 * the local database (DESIGN.md: logout deletes the local store).
	 */
	async signOut(): Promise<boolean> {
		this.message = null;
		const { countOutbox } = await store();
		if (currentStoreName() && !lockManager.locked) {
			const sync = await syncEngine();
			await sync.syncNow();
			const unsynced = await countOutbox();
			if (unsynced > 0) {
				this.message = sync.online
					? `${unsynced} élément(s) n’ont pas pu être envoyés au serveur. Réessayez la synchronisation avant de vous déconnecter.`
					: `Vous êtes hors ligne avec ${unsynced} élément(s) non synchronisé(s) : reconnectez-vous au réseau avant de vous déconnecter, sinon ils seraient perdus.`;
				return false;
			}
		}
		if (currentStoreName() && lockManager.locked && (await countOutbox()) > 0) {
			this.message = 'Déverrouillez et synchronisez d’abord : des éléments ne sont pas encore envoyés.';
			return false;
		}
		loadedSync?.stop();
		lockManager.lock('logout');
		if (currentStoreName()) await wipeStore();
		closeStore();
		localStorage.removeItem(LAST_STORE_KEY);
		await session.logout().catch(() => {});
		this.#set('signed-out');
		return true;
	}

	#set(phase: DevicePhase): void {
		this.phase = phase;
	}
}

export const device = new DeviceSession();
