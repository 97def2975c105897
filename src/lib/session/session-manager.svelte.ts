import { api, apiErrorInfo } from '$lib/api/client';

export type Me = Awaited<ReturnType<typeof api.auth.me.query>>;

type PasswordChangedHook = (oldPassword: string, newPassword: string) => Promise<void>;

/**
 * Who is signed in, as the server sees it. Holds no case data. Offline, `me` stays what it was
 * (the device store knows the user too); `online` follows the last request's outcome.
 */
class SessionManager {
	me = $state<Me | null>(null);
	checked = $state(false);
	private passwordHooks: PasswordChangedHook[] = [];

	/** Asks the server; returns null when not signed in. Throws on network failure. */
	async refresh(): Promise<Me | null> {
		try {
			this.me = await api.auth.me.query();
		} catch (error) {
			const info = apiErrorInfo(error);
			if (info.appCode === 'network') throw error;
			this.me = null;
		} finally {
			this.checked = true;
		}
		return this.me;
	}

	async logout(): Promise<void> {
		try {
			await api.auth.logout.mutate();
		} finally {
			this.me = null;
		}
	}

	/** The device store registers here to re-wrap its data key under the new password. */
	onPasswordChange(hook: PasswordChangedHook): void {
		this.passwordHooks.push(hook);
	}

	async onPasswordChanged(oldPassword: string, newPassword: string): Promise<void> {
		for (const hook of this.passwordHooks) await hook(oldPassword, newPassword);
		await this.refresh();
	}
}

export const session = new SessionManager();
