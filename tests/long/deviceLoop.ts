import { CallError, sleep, withRetry, type SimulatedDevice } from '../support/loadClient';
import type { Mutation } from '../../src/lib/shared/sync';

export interface DeviceLoopOptions {
	/** Stop after this many sync cycles, or at `until` (epoch ms), whichever comes first. */
	cycles?: number;
	until?: number;
	/** Hard deadline for retries; past it, a transient failure is an error. */
	deadline: number;
	/** Mutations per push: 0..maxBatch (a cycle with 0 only pulls). */
	maxBatch: number;
	thinkMs: number;
	/** Retry transient failures (network, 5xx) with the same mutations, as the app does. */
	retry: boolean;
	onRetry?: (device: SimulatedDevice, error: CallError) => void;
	/** Called once the device is signed in and holds its first pull. */
	onReady?: (device: SimulatedDevice) => void;
}

/**
 * One device's life: sign in, first pull, then cycles of push (new notes, edits, some stale)
 * and pull. A push that fails is sent again with the same mutation ids, like the app's outbox.
 */
export async function runDeviceLoop(device: SimulatedDevice, options: DeviceLoopOptions): Promise<{ cycles: number }> {
	const retrying = <T>(action: () => Promise<T>) =>
		options.retry
			? withRetry(action, { deadline: options.deadline, onRetry: (e) => options.onRetry?.(device, e) })
			: action();
	if (!device.cookie) await retrying(() => device.login());
	if (device.heldCaseIds.size === 0) await retrying(() => device.pullAll());
	options.onReady?.(device);
	let cycles = 0;
	let outbox: Mutation[] = [];
	while ((options.cycles === undefined || cycles < options.cycles) && (options.until === undefined || Date.now() < options.until)) {
		if (outbox.length === 0) {
			const size = Math.floor(Math.random() * (options.maxBatch + 1));
			outbox = Array.from({ length: size }, () => device.nextMutation());
		}
		if (outbox.length > 0) {
			const batch = outbox;
			await retrying(() => device.push(batch));
			outbox = [];
		}
		await retrying(() => device.pullAll());
		cycles++;
		if (options.thinkMs > 0) await sleep(options.thinkMs * (0.5 + Math.random()));
	}
	return { cycles };
}
