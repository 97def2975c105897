import { expect, test, type APIRequestContext } from '@playwright/test';
import { decodePullFrame, PULL_FRAME_TYPE, type FramedPullOutput } from '../../src/lib/shared/pullFrame';
import type { PullOutput } from '../../src/lib/shared/sync';
import { apiAs, apiMutate } from '../support/e2e';

/**
 * POST /sync/pull, the binary transport of sync.pull the sync engine uses, on the real server:
 * the same checks and the same records as /trpc/sync.pull, or the same refusals.
 */
type Page = Extract<FramedPullOutput, { wipe: false }>;
const TABLES = ['cases', 'persons', 'notes', 'visits'] as const;

async function framePull(api: APIRequestContext, input: unknown): Promise<Page> {
	const response = await api.post('/sync/pull', { data: input });
	expect(response.status(), await response.text().catch(() => '')).toBe(200);
	expect(response.headers()['content-type']).toBe(PULL_FRAME_TYPE);
	expect(response.headers()['cache-control']).toBe('no-store');
	const page = decodePullFrame(new Uint8Array(await response.body()));
	if (page.wipe) throw new Error('wiped');
	return page;
}

async function trpcPull(api: APIRequestContext, input: object): Promise<Extract<PullOutput, { wipe: false }>> {
	const page = await apiMutate<PullOutput>(api, 'sync.pull', { ...input, packed: true });
	if (page.wipe) throw new Error('wiped');
	return page;
}

/** Every record of a page: table, id, case and version, with its JSON text. */
function recordsOf(page: Page | Extract<PullOutput, { wipe: false }>): string[] {
	const text = (json: string | Uint8Array) => (typeof json === 'string' ? Buffer.from(json, 'base64') : Buffer.from(json)).toString('utf8');
	return TABLES.flatMap((t) => (page.packed![t] as { id: string; caseId: string; version: number; json: string | Uint8Array }[]).map((r) => `${t} ${r.id} ${r.caseId} ${r.version} ${text(r.json)}`)).sort();
}

test('without a session, from another origin, or with bad input: refused as /trpc refuses, nothing sent', async ({ playwright, baseURL }) => {
	const anonymous = await playwright.request.newContext({ baseURL });
	const input = { deviceId: crypto.randomUUID(), cursor: null, heldCaseIds: [] };
	const unauthenticated = await anonymous.post('/sync/pull', { data: input });
	expect(unauthenticated.status()).toBe(401);
	expect((await unauthenticated.json()).error.data.appCode).toBe('unauthenticated');

	const amelie = await apiAs(playwright, baseURL, 'tisf.amelie');
	const crossOrigin = await amelie.post('/sync/pull', { data: input, headers: { origin: 'https://evil.example' } });
	expect(crossOrigin.status()).toBe(403);
	expect(crossOrigin.headers()['content-type']).not.toBe(PULL_FRAME_TYPE);

	const badCursor = await amelie.post('/sync/pull', { data: { ...input, cursor: "0' or 1=1" } });
	expect(badCursor.status()).toBe(400);
	const body = await badCursor.json();
	expect(body.error.data.appCode).toBe('invalid-input');
	expect(body.error.data.issues.map((i: { path: string }) => i.path)).toContain('cursor');

	const notJson = await amelie.post('/sync/pull', { data: 'not json', headers: { 'content-type': 'application/json' } });
	expect(notJson.status()).toBe(400);
	expect(notJson.headers()['content-type']).not.toBe(PULL_FRAME_TYPE);
});

test("a worker's frames hold exactly what sync.pull sends her, and another worker's case is withdrawn, not sent", async ({ playwright, baseURL }) => {
	const amelie = await apiAs(playwright, baseURL, 'tisf.amelie');
	const bruno = await apiAs(playwright, baseURL, 'aed.bruno');

	// Two new devices of the same worker, one through each transport: the same records, byte for byte.
	const framed = await framePull(amelie, { deviceId: crypto.randomUUID(), cursor: null, heldCaseIds: [] });
	const viaTrpc = await trpcPull(amelie, { deviceId: crypto.randomUUID(), cursor: null, heldCaseIds: [] });
	expect(framed.hasMore).toBe(false);
	expect(recordsOf(framed).length).toBeGreaterThan(0);
	expect(recordsOf(framed)).toEqual(recordsOf(viaTrpc));
	expect(framed.journalSecret).toMatch(/^[0-9a-f]{64}$/);
	// Each record's bytes are its record, of the case the header names.
	for (const note of framed.packed.notes) expect(JSON.parse(Buffer.from(note.json).toString('utf8'))).toMatchObject({ id: note.id, caseId: note.caseId });

	// A device of Amélie claiming one of Bruno's cases (not hers): the pull withdraws it and sends none of it.
	const brunos = (await trpcPull(bruno, { deviceId: crypto.randomUUID(), cursor: null, heldCaseIds: [] })).packed!.cases.map((c) => c.id);
	const hers = new Set(framed.packed.cases.map((c) => c.id));
	const foreign = brunos.find((id) => !hers.has(id));
	if (!foreign) throw new Error('the demo data should give Bruno a case Amélie does not hold');
	const probing = await framePull(amelie, { deviceId: crypto.randomUUID(), cursor: null, heldCaseIds: [foreign] });
	expect(probing.revokedCaseIds).toContain(foreign);
	const sent = recordsOf(probing).join('\n');
	expect(sent).not.toContain(foreign);
	expect(TABLES.flatMap((t) => probing.packed[t].map((r) => r.caseId))).not.toContain(foreign);
});
