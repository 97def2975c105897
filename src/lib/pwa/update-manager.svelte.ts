import { Workbox } from 'workbox-window';

/**
 * Registers the service worker (workbox-window) and tells the UI when a new version is waiting.
 * The app never reloads by itself, and refuses to while some editor holds unsaved text.
 */
class UpdateManager {
	updateAvailable = $state(false);
	/** Set when a reload was asked while text was unsaved: the UI says why it did not reload. */
	blockedByUnsavedText = $state(false);
	private workbox: Workbox | null = null;
	private unsavedTextProbes = new Set<() => boolean>();

	register(): void {
		if (this.workbox || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
		if (import.meta.env.DEV) return;
		this.workbox = new Workbox('/sw.js', { scope: '/' });
		this.workbox.addEventListener('waiting', () => {
			this.updateAvailable = true;
		});
		this.workbox.register().catch(() => {
			// No service worker (private mode, unsupported): the app still works online.
		});
	}

	/** An editor registers a probe telling whether it holds unsaved text; returns the unregister function. */
	trackUnsavedText(probe: () => boolean): () => void {
		this.unsavedTextProbes.add(probe);
		return () => this.unsavedTextProbes.delete(probe);
	}

	hasUnsavedText(): boolean {
		for (const probe of this.unsavedTextProbes) if (probe()) return true;
		return false;
	}

	/** Activates the waiting version and reloads, unless text is unsaved. */
	applyUpdate(): boolean {
		if (!this.workbox || !this.updateAvailable) return false;
		if (this.hasUnsavedText()) {
			this.blockedByUnsavedText = true;
			return false;
		}
		this.workbox.addEventListener('controlling', () => window.location.reload());
		this.workbox.messageSkipWaiting();
		return true;
	}
}

export const updates = new UpdateManager();
