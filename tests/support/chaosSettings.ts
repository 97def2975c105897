/**
 * Run counts and seeds of the sync chaos suite. CARNET_LONG=1 runs 10,000 scenarios per
 * database (the `test:long` run); CARNET_CHAOS_RUNS=<n> sets the count; CARNET_CHAOS_SEED=<n>
 * (and CARNET_CHAOS_PATH=<path>, as fast-check prints it) replays one failure.
 */

export const chaosRuns = Number(process.env.CARNET_CHAOS_RUNS ?? (process.env.CARNET_LONG === '1' ? 10_000 : 200));

export function chaosSeed(): number {
	const fixed = process.env.CARNET_CHAOS_SEED;
	if (fixed !== undefined && fixed !== '') {
		const seed = Number(fixed);
		if (!Number.isInteger(seed)) throw new Error(`CARNET_CHAOS_SEED must be an integer, got ${fixed}`);
		return seed;
	}
	return Math.floor(Math.random() * 0x7fffffff);
}

export const chaosPath: string | undefined = process.env.CARNET_CHAOS_PATH || undefined;

export function chaosReplayHint(seed: number): string {
	return `replay: CARNET_CHAOS_SEED=${seed} npx vitest run --project server tests/server/sync-chaos.test.ts`;
}
