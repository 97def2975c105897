/**
 * Run counts and seeds of the fuzz and chaos suites. CARNET_LONG=1 raises the counts (the
 * `test:long` run); CARNET_FUZZ_SEED=<n> replays one seed (printed by every suite and in every
 * failure message).
 */

export const longRun = process.env.CARNET_LONG === '1';

/** `normal` runs by default, `long` with CARNET_LONG=1. */
export function runCount(normal: number, long: number): number {
	return longRun ? long : normal;
}

/** The seed of a suite: CARNET_FUZZ_SEED when set, a fresh one otherwise. */
export function fuzzSeed(): number {
	const fixed = process.env.CARNET_FUZZ_SEED;
	if (fixed !== undefined && fixed !== '') {
		const seed = Number(fixed);
		if (!Number.isInteger(seed)) throw new Error(`CARNET_FUZZ_SEED must be an integer, got ${fixed}`);
		return seed;
	}
	return Math.floor(Math.random() * 0x7fffffff);
}

/** Replay hint put in failure messages. */
export function replayHint(suite: string, seed: number): string {
	return `replay: CARNET_FUZZ_SEED=${seed} npx vitest run --project server tests/server/${suite}.test.ts`;
}
