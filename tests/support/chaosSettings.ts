/**
 * Run counts and seeds of the sync chaos suite. CARNET_LONG=1 runs 10,000 scenarios per
 * database (the `test:long` run; hours); CARNET_CHAOS_RUNS=<n> sets the count; CARNET_CHAOS_SEED=<n>
 * (and CARNET_CHAOS_PATH=<path>, as fast-check prints it) replays one failure.
 */

/**
 * Scenarios per database kind: 200 on PGlite by default; 60 on PostgreSQL, whose runs cost about
 * three times more (a second connection, real waits on locks) and which the stall-writer
 * scenarios need, to stay near a minute.
 */
export function chaosRunsFor(kind: 'pglite' | 'postgres'): number {
	if (process.env.CARNET_CHAOS_RUNS) return Number(process.env.CARNET_CHAOS_RUNS);
	if (process.env.CARNET_LONG === '1') return 10_000;
	return kind === 'pglite' ? 200 : 60;
}

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
