import type { Mutation, MutationResult, PullOutput } from '../../src/lib/shared/sync';

/**
 * A simulated device for long suites: speaks the tRPC wire format (plain JSON over HTTP, one
 * call per request, as the app's httpLink does), keeps its session cookie, pulls with a cursor,
 * pushes notes, and records every call's latency and outcome.
 */

export const DEMO_PASSWORD = 'Carnet-Demo-2026!';

export interface CallRecord {
	path: string;
	ms: number;
	status: number | 'network';
	at: number;
}

/** Shared by every device of a run: latencies, errors and acknowledged mutations. */
export class LoadStats {
	readonly calls: CallRecord[] = [];
	readonly errors: { path: string; status: number | 'network'; detail: string; at: number }[] = [];
	/** Every mutation the server acknowledged: id -> result (applied, duplicate, conflict). */
	readonly acknowledged = new Map<string, { result: MutationResult; mutation: Mutation; device: string }>();
	readonly rejected: { result: MutationResult; mutation: Mutation; device: string }[] = [];

	record(call: CallRecord, detail?: string): void {
		this.calls.push(call);
		if (call.status === 'network' || call.status >= 400) {
			this.errors.push({ path: call.path, status: call.status, detail: (detail ?? '').slice(0, 300), at: call.at });
		}
	}

	summary(since = 0): LoadSummary {
		const calls = this.calls.filter((c) => c.at >= since);
		const ms = calls.map((c) => c.ms).sort((a, b) => a - b);
		const byPath: Record<string, number> = {};
		for (const c of calls) byPath[c.path] = (byPath[c.path] ?? 0) + 1;
		return {
			calls: calls.length,
			errors: this.errors.filter((e) => e.at >= since).length,
			byPath,
			p50: percentile(ms, 0.5),
			p95: percentile(ms, 0.95),
			p99: percentile(ms, 0.99),
			max: ms.at(-1) ?? 0
		};
	}
}

export interface LoadSummary {
	calls: number;
	errors: number;
	byPath: Record<string, number>;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

export class CallError extends Error {
	constructor(
		readonly path: string,
		readonly status: number | 'network',
		readonly body: unknown
	) {
		super(`${path}: ${status} ${typeof body === 'string' ? body : JSON.stringify(body)?.slice(0, 300)}`);
		this.name = 'CallError';
	}
	get appCode(): string | undefined {
		return (this.body as { error?: { data?: { appCode?: string } } })?.error?.data?.appCode;
	}
	/** Worth retrying: the network, the server or the database was unavailable for a while. */
	get transient(): boolean {
		return this.status === 'network' || this.status >= 500;
	}
}

export interface DeviceOptions {
	/** Base URL, or a function giving the base URL of each call (to alternate between servers). */
	baseUrl: string | (() => string);
	username: string;
	password?: string;
	stats: LoadStats;
	/** Extra headers on every call (e.g. x-forwarded-for). */
	headers?: Record<string, string>;
	timeoutMs?: number;
}

export class SimulatedDevice {
	readonly deviceId = crypto.randomUUID();
	cookie: string | null = null;
	cursor: string | null = null;
	readonly heldCaseIds = new Set<string>();
	/** Notes this device wrote, with the last version it knows. */
	readonly ownNotes = new Map<string, { caseId: string; version: number }>();
	readonly seenNoteIds = new Set<string>();
	pulls = 0;
	pushes = 0;
	/** Which backend answered the last call, when a proxy says so (x-carnet-backend). */
	lastBackend: string | null = null;

	constructor(readonly options: DeviceOptions) {}

	get label(): string {
		return `${this.options.username}/${this.deviceId.slice(0, 8)}`;
	}

	async call<T>(path: string, input: unknown): Promise<T> {
		const base = typeof this.options.baseUrl === 'function' ? this.options.baseUrl() : this.options.baseUrl;
		const started = performance.now();
		const at = Date.now();
		let response: Response;
		try {
			response = await fetch(`${base}/trpc/${path}`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					...(this.cookie ? { cookie: this.cookie } : {}),
					...this.options.headers
				},
				body: JSON.stringify(input),
				signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000)
			});
		} catch (error) {
			this.options.stats.record({ path, ms: performance.now() - started, status: 'network', at }, String(error));
			throw new CallError(path, 'network', String((error as Error)?.cause ?? error));
		}
		this.lastBackend = response.headers.get('x-carnet-backend');
		const text = await response.text().catch(() => '');
		this.options.stats.record({ path, ms: performance.now() - started, status: response.status, at }, text);
		const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('carnet_session='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// not JSON (a proxy error page)
		}
		if (!response.ok) throw new CallError(path, response.status, body);
		return (body as { result: { data: T } }).result.data;
	}

	async login(): Promise<void> {
		await this.call('auth.login', { username: this.options.username, password: this.options.password ?? DEMO_PASSWORD });
	}

	/** Pulls every page; returns the notes received. */
	async pullAll(): Promise<PullPage['notes']> {
		const received: PullPage['notes'] = [];
		for (let page = 0; page < 200; page++) {
			const output = await this.call<PullOutput>('sync.pull', {
				deviceId: this.deviceId,
				deviceLabel: 'charge',
				cursor: this.cursor,
				heldCaseIds: [...this.heldCaseIds]
			});
			this.pulls++;
			if (output.wipe) throw new Error(`${this.label}: unexpected wipe`);
			for (const id of output.revokedCaseIds) this.heldCaseIds.delete(id);
			for (const c of output.cases) this.heldCaseIds.add(c.id);
			for (const note of output.notes) {
				this.seenNoteIds.add(note.id);
				const own = this.ownNotes.get(note.id);
				if (own && note.version > own.version) own.version = note.version;
			}
			received.push(...output.notes);
			this.cursor = output.cursor;
			if (!output.hasMore) break;
		}
		return received;
	}

	/** A new note on one of the held cases, or an edit of one of this device's notes. */
	nextMutation(random: () => number = Math.random): Mutation {
		const own = [...this.ownNotes.entries()];
		if (own.length > 0 && random() < 0.3) {
			const [noteId, note] = own[Math.floor(random() * own.length)];
			return {
				id: crypto.randomUUID(),
				type: 'note.update',
				// Now and then an edit made on a stale version: the server keeps it as a conflict revision.
				baseVersion: random() < 0.2 ? Math.max(0, note.version - 1) : note.version,
				payload: {
					noteId,
					kind: 'observation',
					body: `Relecture ${new Date().toISOString()} : échange posé, suite convenue avec la famille.`,
					sensitiveCategory: null,
					editedOnDeviceAt: new Date().toISOString()
				}
			};
		}
		const cases = [...this.heldCaseIds];
		if (cases.length === 0) throw new Error(`${this.label} holds no case`);
		return {
			id: crypto.randomUUID(),
			type: 'note.create',
			baseVersion: null,
			payload: {
				noteId: crypto.randomUUID(),
				caseId: cases[Math.floor(random() * cases.length)],
				kind: 'observation',
				body: `Visite de charge ${new Date().toISOString()} : repas partagé, devoirs faits, ambiance calme.`,
				sensitiveCategory: null,
				createdOnDeviceAt: new Date().toISOString()
			}
		};
	}

	/** Pushes the mutations and records what the server acknowledged. Throws on a failed call. */
	async push(mutations: Mutation[]): Promise<MutationResult[]> {
		const output = await this.call<{ wipe: boolean; results?: MutationResult[] }>('sync.push', {
			deviceId: this.deviceId,
			mutations
		});
		this.pushes++;
		if (output.wipe || !output.results) throw new Error(`${this.label}: unexpected wipe on push`);
		const byId = new Map(mutations.map((m) => [m.id, m]));
		for (const result of output.results) {
			const mutation = byId.get(result.id)!;
			const settled = settledResult(result);
			if (settled.status === 'rejected') {
				this.options.stats.rejected.push({ result, mutation, device: this.label });
				continue;
			}
			this.options.stats.acknowledged.set(result.id, { result, mutation, device: this.label });
			if (mutation.type === 'note.create' && settled.status === 'applied') {
				this.ownNotes.set(mutation.payload.noteId, { caseId: mutation.payload.caseId, version: settled.version });
			}
			if (mutation.type === 'note.update' && settled.status === 'applied') {
				const own = this.ownNotes.get(mutation.payload.noteId);
				if (own) own.version = Math.max(own.version, settled.version);
			}
		}
		return output.results;
	}
}

type PullPage = Extract<PullOutput, { wipe: false }>;

/** A duplicate carries the first result: that is the one that counts. */
export function settledResult(result: MutationResult): MutationResult {
	if (result.status === 'duplicate' && typeof result.first === 'object' && result.first !== null && 'status' in result.first) {
		return result.first as MutationResult;
	}
	return result;
}

/** Retries a call while the failure is transient (network, 5xx), until the deadline. */
export async function withRetry<T>(
	action: () => Promise<T>,
	options: { deadline: number; delayMs?: number; onRetry?: (error: CallError) => void }
): Promise<T> {
	let delay = options.delayMs ?? 200;
	for (;;) {
		try {
			return await action();
		} catch (error) {
			if (!(error instanceof CallError) || !error.transient || Date.now() > options.deadline) throw error;
			options.onRetry?.(error);
			await sleep(delay + Math.random() * delay);
			delay = Math.min(delay * 2, 2_000);
		}
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
