import fc from 'fast-check';

/**
 * The commands of the sync chaos suite, as plain data: indexes pick among what exists when the
 * command runs (held cases, held notes, drafts, earlier requests), modulo their number, so that
 * every generated sequence can run and shrinks well.
 */

export type DeviceIndex = 0 | 1;

/** Where the connection fails during one sync (at most once per sync). */
export type SyncFault =
	| 'none'
	/** The push request never leaves the device. */
	| 'push-dropped'
	/** The server commits the push; the answer is lost. */
	| 'push-lost'
	/** The request is delivered twice in a row; the device reads the second answer. */
	| 'push-twice'
	/** Two copies reach the server at once; the device reads one answer. */
	| 'push-concurrent'
	| 'pull-dropped'
	| 'pull-lost'
	| 'journal-dropped'
	| 'journal-lost'
	| 'journal-twice';

export type ChaosCommand =
	| { kind: 'create-note'; device: DeviceIndex; pick: number }
	| { kind: 'update-note'; device: DeviceIndex; pick: number }
	| { kind: 'resubmit-draft'; device: DeviceIndex; pick: number }
	| { kind: 'report-visit'; device: DeviceIndex; pick: number }
	| { kind: 'visit-status'; device: DeviceIndex; pick: number; status: 'done' | 'cancelled' | 'missed' }
	| { kind: 'view'; device: DeviceIndex; pick: number; note: boolean; offline: boolean }
	| { kind: 'sync'; device: DeviceIndex; fault: SyncFault; faultPage: number; pageRows: number }
	/** Both devices sync at the same time, without faults. */
	| { kind: 'sync-both'; pageRows: number }
	/** A copy of an earlier push request, delayed in the network, delivered now (answer lost). */
	| { kind: 'replay-push'; device: DeviceIndex; pick: number; concurrent: boolean }
	| { kind: 'review'; pick: number; decision: 'reviewed' | 'changes_requested' }
	| { kind: 'assign'; who: 'worker' | 'colleague'; caseIndex: number }
	| { kind: 'unassign'; who: 'worker' | 'colleague'; caseIndex: number }
	| { kind: 'delegate'; days: number }
	| { kind: 'end-delegation' }
	| { kind: 'close-case'; caseIndex: number }
	| { kind: 'reopen-case'; caseIndex: number }
	| { kind: 'erase-person'; caseIndex: number; personIndex: number }
	| { kind: 'retention' }
	| { kind: 'advance'; ms: number }
	/**
	 * PostgreSQL only: a server request writes a person (taking a version), then stalls before
	 * its audit event and commit, while the next commands run; 'release-writer' lets it commit.
	 */
	| { kind: 'stall-writer'; caseIndex: number; personIndex: number }
	| { kind: 'release-writer' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const device = fc.constantFrom<DeviceIndex>(0, 1);
const pick = fc.nat({ max: 1_000 });
const caseIndex = fc.nat({ max: 3 });

const fault: fc.Arbitrary<SyncFault> = fc.oneof(
	{ weight: 6, arbitrary: fc.constant<SyncFault>('none') },
	{
		weight: 9,
		arbitrary: fc.constantFrom<SyncFault>(
			'push-dropped',
			'push-lost',
			'push-twice',
			'push-concurrent',
			'pull-dropped',
			'pull-lost',
			'journal-dropped',
			'journal-lost',
			'journal-twice'
		)
	}
);

export const chaosCommand: fc.Arbitrary<ChaosCommand> = fc.oneof(
	{ weight: 8, arbitrary: fc.record({ kind: fc.constant('create-note' as const), device, pick }) },
	{ weight: 7, arbitrary: fc.record({ kind: fc.constant('update-note' as const), device, pick }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('resubmit-draft' as const), device, pick }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('report-visit' as const), device, pick }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('visit-status' as const), device, pick, status: fc.constantFrom('done' as const, 'cancelled' as const, 'missed' as const) }) },
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('view' as const), device, pick, note: fc.boolean(), offline: fc.boolean() }) },
	{
		weight: 10,
		arbitrary: fc.record({
			kind: fc.constant('sync' as const),
			device,
			fault,
			faultPage: fc.nat({ max: 2 }),
			pageRows: fc.constantFrom(2, 3, 5, 1_000)
		})
	},
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('sync-both' as const), pageRows: fc.constantFrom(3, 1_000) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('replay-push' as const), device, pick, concurrent: fc.boolean() }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('review' as const), pick, decision: fc.constantFrom('reviewed' as const, 'changes_requested' as const) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('assign' as const), who: fc.constantFrom('worker' as const, 'colleague' as const), caseIndex }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('unassign' as const), who: fc.constantFrom('worker' as const, 'colleague' as const), caseIndex }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('delegate' as const), days: fc.integer({ min: 1, max: 5 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('end-delegation' as const) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('close-case' as const), caseIndex: fc.nat({ max: 2 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen-case' as const), caseIndex: fc.nat({ max: 2 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('erase-person' as const), caseIndex, personIndex: fc.nat({ max: 1 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('retention' as const) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(MINUTE, 20 * MINUTE, HOUR, 6 * HOUR, DAY, 2 * DAY) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('stall-writer' as const), caseIndex: fc.nat({ max: 2 }), personIndex: fc.nat({ max: 1 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('release-writer' as const) }) }
);

const firstSync = (index: DeviceIndex) =>
	fc.record({ kind: fc.constant('sync' as const), device: fc.constant(index), fault, faultPage: fc.nat({ max: 2 }), pageRows: fc.constantFrom(2, 3, 5, 1_000) });

/**
 * One run: each device syncs once (faults included) so that most commands find something to
 * act on, then random commands; the runner adds the final clean sync.
 */
export const chaosScenario: fc.Arbitrary<ChaosCommand[]> = fc
	.tuple(firstSync(0), firstSync(1), fc.array(chaosCommand, { minLength: 3, maxLength: 36, size: 'max' }))
	.map(([a, b, rest]) => [a, b, ...rest]);
