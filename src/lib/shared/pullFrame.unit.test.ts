import { describe, expect, it } from 'vitest';
import { decodePullFrame, encodePullFrame, PullFrameError, type FramedPullOutput } from './pullFrame';
import { pageDefaults } from './testing/pullPages';

const utf8 = new TextEncoder();
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const record = (n: number, text: string) => ({ id: id(n), caseId: id(1), version: n, json: utf8.encode(JSON.stringify({ id: id(n), body: text })) });

const page: FramedPullOutput = {
	...pageDefaults(),
	cursor: '42',
	hasMore: true,
	revokedCaseIds: [id(9)],
	journalAckSeq: 3,
	serverTime: '2026-11-24T04:00:00.000Z',
	packed: {
		cases: [record(1, 'Dossier')],
		persons: [],
		notes: [record(2, 'Élodie, 5 ans — « suivi » 👶🏽'), record(3, ''), record(4, 'x'.repeat(5_000))],
		visits: [record(5, 'visite')]
	}
};

/** The frame with its header rewritten (the records' bytes kept). */
function withHeader(frame: Uint8Array<ArrayBuffer>, edit: (header: string) => string): Uint8Array<ArrayBuffer> {
	const headLength = new DataView(frame.buffer).getUint32(0, true);
	const text = new TextDecoder().decode(frame.subarray(4, 4 + headLength));
	const edited = edit(text);
	if (edited === text) throw new Error('the edit changed nothing');
	const head = utf8.encode(edited);
	const out = new Uint8Array(4 + head.length + frame.length - 4 - headLength);
	new DataView(out.buffer).setUint32(0, head.length, true);
	out.set(head, 4);
	out.set(frame.subarray(4 + headLength), 4 + head.length);
	return out;
}

describe('pull frames', () => {
	it('decode to the page encoded, each record to its own bytes', () => {
		const decoded = decodePullFrame(encodePullFrame(page));
		if (decoded.wipe) throw new Error('wipe');
		expect({ ...decoded, packed: undefined }).toEqual({ ...page, packed: undefined });
		for (const t of ['cases', 'persons', 'notes', 'visits'] as const) {
			expect(decoded.packed[t].map((r) => ({ ...r, json: new TextDecoder().decode(r.json) }))).toEqual(
				page.packed[t].map((r) => ({ ...r, json: new TextDecoder().decode(r.json) }))
			);
		}
		expect(decodePullFrame(encodePullFrame({ wipe: true }))).toEqual({ wipe: true });
	});

	it('refuse a frame that does not hold exactly what its header says', () => {
		const frame = encodePullFrame(page);
		const headLength = new DataView(frame.buffer).getUint32(0, true);
		const broken: [string, Uint8Array<ArrayBuffer>][] = [
			['empty', new Uint8Array(0)],
			['truncated in the header', frame.slice(0, 10)],
			['truncated in the records', frame.slice(0, frame.length - 1)],
			['a byte after the records', Uint8Array.from([...frame, 0])],
			['a header length past the end', (() => { const f = frame.slice(); new DataView(f.buffer).setUint32(0, f.length, true); return f; })()],
			['a header that is not JSON', (() => { const f = frame.slice(); f[4] = 0x7b; f[5] = 0x7b; return f; })()],
			['a header that is not UTF-8', (() => { const f = frame.slice(); f[4 + 2] = 0xff; return f; })()],
			['a wipe with bytes after it', Uint8Array.from([...encodePullFrame({ wipe: true }), 1])],
			['a negative record length', withHeader(frame, (text) => text.replace(/"n":\d+/, '"n":-1'))],
			['a record length past the end', withHeader(frame, (text) => text.replace(/"n":\d+/, '"n":1000000'))],
			['a table missing', withHeader(frame, (text) => text.replace('"visits":[{', '"visitz":[{'))]
		];
		for (const [label, bytes] of broken) expect(() => decodePullFrame(bytes), label).toThrow(PullFrameError);
	});
});
