/** Order statistics of a list of samples (not modified). */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank];
}

export interface Summary {
	median: number;
	min: number;
	max: number;
	runs: number;
}

/** Median, min and max over the runs of one figure. */
export function summarize(values: number[]): Summary {
	return { median: percentile(values, 50), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/** Runs `fn` `runs` times (after `warmup` unrecorded runs) and returns every result. */
export async function repeat<T>(runs: number, fn: (run: number) => Promise<T>, warmup = 0): Promise<T[]> {
	for (let i = 0; i < warmup; i++) await fn(-1 - i);
	const results: T[] = [];
	for (let i = 0; i < runs; i++) results.push(await fn(i));
	return results;
}
