import type { CDPSession } from 'playwright';

/** A Chromium trace event (the fields these tools read). */
export type TraceEvent = { name: string; cat: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string; data?: Record<string, unknown> } };

/** Trace categories that attribute a CPU profile's "(program)": tasks, IPC, parsing, V8, IndexedDB. */
const CATEGORIES = ['devtools.timeline', 'v8', 'v8.execute', 'blink', 'loading', 'toplevel', 'IndexedDB', 'mojom', 'disabled-by-default-devtools.timeline', 'disabled-by-default-v8.compile'];

/** Runs `work` under a Chromium trace of the page's CDP session; returns its result and the events. */
export async function traced<T>(cdp: CDPSession, work: () => Promise<T>): Promise<{ result: T; events: TraceEvent[] }> {
	const events: TraceEvent[] = [];
	const onData = (e: { value: unknown[] }) => events.push(...(e.value as TraceEvent[]));
	cdp.on('Tracing.dataCollected', onData);
	const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
	await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES } });
	try {
		const result = await work();
		return { result, events };
	} finally {
		await cdp.send('Tracing.end');
		await complete;
		cdp.off('Tracing.dataCollected', onData);
	}
}

/** The renderer main threads (CrRendererMain) of a trace, as pid/tid pairs. */
export function rendererMainThreads(events: TraceEvent[]): { pid: number; tid: number }[] {
	return events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => ({ pid: e.pid, tid: e.tid }));
}

/** Total duration of one thread's top-level complete events, in ms (how busy the trace saw it). */
export function busyMs(events: TraceEvent[], thread: { pid: number; tid: number }): number {
	return selfTimes(events, thread).total;
}

/** Self time of each event name on one thread: its duration less that of the events nested in it, in ms. */
export function selfTimes(events: TraceEvent[], thread: { pid: number; tid: number }): { byName: Map<string, number>; total: number } {
	const onThread = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X' && e.dur !== undefined);
	onThread.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
	const byName = new Map<string, number>();
	const stack: TraceEvent[] = [];
	const childTime = new Map<TraceEvent, number>();
	let total = 0;
	const close = (e: TraceEvent) => byName.set(e.name, (byName.get(e.name) ?? 0) + ((e.dur ?? 0) - (childTime.get(e) ?? 0)) / 1000);
	for (const e of onThread) {
		while (stack.length && stack[stack.length - 1].ts + (stack[stack.length - 1].dur ?? 0) <= e.ts) close(stack.pop()!);
		const parent = stack[stack.length - 1];
		if (parent) childTime.set(parent, (childTime.get(parent) ?? 0) + (e.dur ?? 0));
		else total += (e.dur ?? 0) / 1000;
		stack.push(e);
	}
	while (stack.length) close(stack.pop()!);
	return { byName, total };
}

/** The `limit` largest entries of a self-time map, one per line. */
export function formatSelfTimes(byName: Map<string, number>, limit = 25): string {
	return [...byName]
		.sort((a, b) => b[1] - a[1])
		.slice(0, limit)
		.map(([name, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${name}`)
		.join('\n');
}
