import type { PackedRecord, PullOutput } from './sync';

/**
 * A sync.pull page as one binary frame (POST /sync/pull, src/routes/sync/pull/+server.ts): what
 * the device stores, without the cost of JSON text around it. Receiving the packed pages as
 * tRPC JSON cost the page's main thread 1.6–1.8 times more than these frames (text decoding of
 * the whole body, then a base64 string per record; BENCHMARKS.md, eighth round).
 *
 * Layout: a 4-byte little-endian length L; L bytes of UTF-8 JSON, the page as sync.pull answers
 * it in the packed form except that each packed record carries `n`, the length of its JSON,
 * instead of `json`; then the records' UTF-8 JSON back to back, in the order cases, persons,
 * notes, visits, each table's records in the header's order. Nothing follows.
 */
export const PULL_FRAME_TYPE = 'application/vnd.carnet.pull-frame';

const TABLES = ['cases', 'persons', 'notes', 'visits'] as const;

/** A packed record with its UTF-8 JSON as bytes (the frame's form) instead of base64. */
export type FramedRecord = Omit<PackedRecord, 'json'> & { json: Uint8Array<ArrayBuffer> };
export type FramedRecords = Record<(typeof TABLES)[number], FramedRecord[]>;
type Page = Extract<PullOutput, { wipe: false }>;
/** A pull page as a frame carries it: the packed form, the records' JSON as bytes. */
export type FramedPullOutput = { wipe: true } | (Omit<Page, 'packed'> & { packed: FramedRecords });

type HeaderRecord = Omit<PackedRecord, 'json'> & { n: number };

const utf8 = new TextEncoder();

export function encodePullFrame(page: FramedPullOutput): Uint8Array<ArrayBuffer> {
	let bodies: Uint8Array[] = [];
	let header: unknown = page;
	if (!page.wipe) {
		const packed = Object.fromEntries(TABLES.map((t) => [t, page.packed[t].map(({ json, ...fields }): HeaderRecord => ({ ...fields, n: json.length }))]));
		header = { ...page, packed };
		bodies = TABLES.flatMap((t) => page.packed[t].map((r) => r.json));
	}
	const head = utf8.encode(JSON.stringify(header));
	const frame = new Uint8Array(4 + head.length + bodies.reduce((n, b) => n + b.length, 0));
	new DataView(frame.buffer).setUint32(0, head.length, true);
	frame.set(head, 4);
	let offset = 4 + head.length;
	for (const body of bodies) {
		frame.set(body, offset);
		offset += body.length;
	}
	return frame;
}

/**
 * Reads a frame. Each record's `json` is a view into the frame (no copy). Throws
 * `PullFrameError` when the frame does not hold exactly what its header says.
 */
export function decodePullFrame(frame: Uint8Array<ArrayBuffer>): FramedPullOutput {
	if (frame.length < 4) throw new PullFrameError('short frame');
	const headLength = new DataView(frame.buffer, frame.byteOffset, frame.length).getUint32(0, true);
	if (4 + headLength > frame.length) throw new PullFrameError('header past the end');
	let header: { wipe?: unknown; packed?: Record<string, HeaderRecord[]> };
	try {
		header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(4, 4 + headLength)));
	} catch (cause) {
		throw new PullFrameError('header is not JSON', { cause });
	}
	let offset = 4 + headLength;
	if (header.wipe === true) {
		if (offset !== frame.length) throw new PullFrameError('bytes after a wipe');
		return { wipe: true };
	}
	if (header.wipe !== false || !header.packed) throw new PullFrameError('not a packed page');
	const packed = {} as FramedRecords;
	for (const t of TABLES) {
		const records = header.packed[t];
		if (!Array.isArray(records)) throw new PullFrameError(`no ${t}`);
		packed[t] = records.map(({ n, ...fields }) => {
			if (!Number.isSafeInteger(n) || n < 0 || offset + n > frame.length) throw new PullFrameError('record past the end');
			const json = frame.subarray(offset, offset + n);
			offset += n;
			return { ...fields, json };
		});
	}
	if (offset !== frame.length) throw new PullFrameError('bytes after the last record');
	return { ...(header as unknown as Omit<Page, 'packed'>), packed };
}

export class PullFrameError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(`pull frame: ${message}`, options);
		this.name = 'PullFrameError';
	}
}
