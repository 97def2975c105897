import { ensureDeviceId } from './ensureDeviceId';
import { pullChanges, type PullProgress, type PullResult } from './pullChanges';
import { pushJournal } from './pushJournal';
import { pushOutbox, type SyncIssue } from './pushOutbox';

export interface SyncRunResult {
	pushed: number;
	issues: SyncIssue[];
	pull: PullResult;
	journalSent: number;
	journalIncidents: string[];
	/**
	 * Whether the run changed what the pages show: records pulled, deleted or revoked, mutations
	 * sent or sent back (the access journal is not shown).
	 */
	changed: boolean;
}

/**
 * One sync run: push the outbox first (so the pull brings back the server's version of what was
 * just sent), then pull and apply, then push the access journal.
 */
export async function syncWithServer(onProgress?: (progress: PullProgress) => void): Promise<SyncRunResult> {
	const deviceId = await ensureDeviceId();
	const { pushed, issues } = await pushOutbox(deviceId);
	const pull = await pullChanges(deviceId, onProgress);
	const journal = await pushJournal(deviceId);
	const changed = pull.changed || pushed > 0 || issues.length > 0;
	return { pushed, issues, pull, journalSent: journal.sent, journalIncidents: journal.incidents, changed };
}
