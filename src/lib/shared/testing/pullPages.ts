import type { PullOutput } from '../sync';

type Page = Extract<PullOutput, { wipe: false }>;

/**
 * The fields of a sync.pull page that tests rarely vary (nothing revoked, nothing deleted, the
 * default policy, no journal secret), for tests that build pages: spread it, then set the rest.
 */
export function pageDefaults(): Omit<Page, 'cursor' | 'hasMore' | 'packed'> {
	return {
		wipe: false,
		revokedCaseIds: [],
		cases: [],
		persons: [],
		notes: [],
		visits: [],
		tombstones: [],
		policy: { lockTimeoutSeconds: 300, maxOfflineDays: 7 },
		journalSecret: null,
		journalAckSeq: 0,
		serverTime: new Date().toISOString()
	};
}
