import { existsSync, statSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client';
import type { SessionUser } from '../../server/auth/session';
import { satisfiesNeed } from '../../server/policy/needs';
import { hasUnstorableText } from '../../server/trpc/unstorableText';
import { callProcedure, clientErrorCodes, listProcedures, outcomeOf, type ProcedureInfo } from '../support/fuzzProcedures';
import { prepareFuzzWorld } from '../support/fuzzWorld';
import { startBuiltServer, type ServerProcess } from '../support/serverProcess';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabase';
import { callerFor, loadSessionUser, TestClock } from '../support/testCaller';
import { START } from './syncTestKit';

/**
 * Bad input on every procedure (walked at run time): missing, wrong-typed, oversized (10 MB
 * strings, 100k-element arrays), deeply nested (depth 10k) and unicode-tricky payloads (lone
 * surrogates, RTL override, NUL, combining marks, homoglyph usernames). Through createCaller:
 * a 4xx-class TRPC error with a code, never INTERNAL_SERVER_ERROR, and nothing written when the
 * payload is refused. Then through the real HTTP endpoint of the built server: malformed JSON,
 * wrong content types, a 2 MB body, GET on a mutation, an unknown procedure, a huge query string.
 */

const procedures = listProcedures();
const MB = 1024 * 1024;
const huge = 'x'.repeat(10 * MB);
const longArray = (item: unknown) => Array.from({ length: 100_000 }, () => item);

function nested(depth: number, leaf: unknown = 'fond'): unknown {
	let value: unknown = leaf;
	for (let i = 0; i < depth; i++) value = { a: value, b: [value === leaf ? leaf : 0] };
	return value;
}
const deep = nested(10_000);
const deepArray = (() => {
	let value: unknown = [];
	for (let i = 0; i < 10_000; i++) value = [value];
	return value;
})();

/** Strings that break naive code: lone surrogates, bidi override, NUL, stacked combining marks, Cyrillic look-alikes. */
const tricky = {
	loneHigh: 'ab\uD800cd',
	loneLow: '\uDFFFz',
	rtl: 'note \u202Egnp.exe\u202C fin',
	nul: 'avant\u0000après',
	combining: `e${'\u0301'.repeat(5_000)}`,
	zalgo: 'Z\u0335\u0321\u0322a\u0336\u0328l\u0334g\u0337o',
	homoglyphUsername: 'tisf.\u0430melie', // Cyrillic а
	fullwidthUsername: '\uFF54isf.amelie',
	bom: '\uFEFFchef.david',
	emoji: '👩‍👧‍👦'.repeat(50)
};

type ObjectDef = { type: 'object'; shape: Record<string, unknown> };
const defOf = (schema: unknown) => (schema as { _zod: { def: { type: string; [k: string]: unknown } } })._zod.def;

/** Unwraps optional/nullable/default/pipe to the object schema of a procedure's input, if any. */
function objectShape(schema: unknown): Record<string, unknown> | null {
	let def = schema ? defOf(schema) : null;
	while (def && ['optional', 'nullable', 'default', 'prefault', 'readonly'].includes(def.type)) def = defOf(def.innerType);
	while (def && def.type === 'pipe') def = defOf(def.in);
	return def && def.type === 'object' ? (def as unknown as ObjectDef).shape : null;
}

/** Payloads every input schema must refuse. */
function refusedPayloads(procedure: ProcedureInfo): [string, unknown][] {
	const payloads: [string, unknown][] = [
		['a number', 42],
		['a string', 'bonjour'],
		['an array', []],
		['true', true],
		['a 10 MB string', huge],
		['100k-element array', longArray('x')],
		['depth-10k object', deep],
		['depth-10k array', deepArray]
	];
	const schema = procedure.inputs[0];
	if (!schema) return [];
	const shape = objectShape(schema);
	const required = shape ? Object.entries(shape).filter(([, v]) => !['optional', 'default', 'prefault'].includes(defOf(v).type)) : [];
	if (!shape || required.length > 0) payloads.push(['missing (undefined)', undefined], ['null', null]);
	if (shape && required.length > 0) payloads.push(['an empty object', {}]);
	if (shape) {
		const keys = Object.keys(shape);
		payloads.push(
			['every field a number', Object.fromEntries(keys.map((k) => [k, 12345]))],
			['every field an object', Object.fromEntries(keys.map((k) => [k, { nested: true }]))],
			['every field a 10 MB string', Object.fromEntries(keys.map((k) => [k, huge]))],
			['every field a 100k array', Object.fromEntries(keys.map((k) => [k, longArray(crypto.randomUUID())]))],
			['every field nested 10k deep', Object.fromEntries(keys.map((k) => [k, deep]))]
		);
	}
	return payloads;
}

/** Plausible inputs with tricky text in every string field: refused or accepted, never a crash. */
function trickyPayloads(procedure: ProcedureInfo, ids: { caseId: string; personId: string; deviceId: string; noteId: string }): [string, unknown][] {
	const out: [string, unknown][] = [];
	const shape = objectShape(procedure.inputs[0]);
	if (!shape) return out;
	for (const [name, text] of Object.entries(tricky)) out.push([`strings ${name}`, fillStrings(shape, text, ids)]);
	return out;
}

/** A value for every field: ids from the world, enums' first value, numbers 1, booleans true, `text` in every free string. */
function fillStrings(shape: Record<string, unknown>, text: string, ids: Record<string, string>): Record<string, unknown> {
	const fill = (schema: unknown, key: string): unknown => {
		const def = defOf(schema);
		switch (def.type) {
			case 'optional':
			case 'nullable':
			case 'default':
			case 'prefault':
			case 'readonly':
				return fill(def.innerType, key);
			case 'pipe':
				return fill(def.in, key);
			case 'object':
				return Object.fromEntries(Object.entries((def as unknown as ObjectDef).shape).map(([k, v]) => [k, fill(v, k)]));
			case 'array':
				return [fill(def.element, key)];
			case 'union':
				return fill((def.options as unknown[])[0], key);
			case 'enum':
				return Object.values(def.entries as Record<string, string>)[0];
			case 'literal':
				return (def.values as unknown[])[0];
			case 'number':
				return 1;
			case 'boolean':
				return true;
			case 'null':
				return null;
			case 'string':
				if (def.format === 'uuid') return ids[key] ?? crypto.randomUUID();
				if (def.format === 'datetime') return START.toISOString();
				return text;
			default:
				return text;
		}
	};
	return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, fill(v, k)]));
}

const countedTables = [
	'audit_events',
	'cases',
	'persons',
	'notes',
	'note_revisions',
	'visits',
	'users',
	'assignments',
	'delegations',
	'emergency_grants',
	'devices',
	'rights_requests',
	'applied_mutations',
	'sessions',
	'login_throttles',
	'organisations',
	'teams'
];

async function rowCounts(db: Database): Promise<Record<string, number>> {
	const result = await db.execute(sql.raw(`select ${countedTables.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')}`));
	const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, number>[];
	return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}

describe.each(databaseKinds)('bad input through createCaller on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	const callers = new Map<string, SessionUser | null>();
	let ids: { caseId: string; personId: string; deviceId: string; noteId: string };
	let calls = 0;
	let started = 0;

	beforeAll(async () => {
		started = Date.now();
		handle = await createTestDatabase(kind);
		await prepareFuzzWorld(handle.db, clock.now());
		for (const username of ['tisf.amelie', 'chef.david', 'admin.eva', 'dpo.farid']) callers.set(username, await loadSessionUser(handle.db, username));
		callers.set('anonymous', null);
		const first = async (q: string) => {
			const r = await handle.db.execute(sql.raw(q));
			return ((Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { id: string }[])[0].id;
		};
		ids = {
			caseId: await first(`select c.id from cases c join assignments a on a.case_id = c.id join users u on u.id = a.user_id where u.username = 'tisf.amelie' and c.status = 'open' limit 1`),
			personId: await first(`select id from persons limit 1`),
			deviceId: await first(`select d.id from devices d join users u on u.id = d.user_id where u.username = 'tisf.amelie' and d.revoked_at is null limit 1`),
			noteId: await first(`select id from notes limit 1`)
		};
	});
	afterAll(async () => {
		console.info(`bad input (createCaller) on ${kind}: ${calls} calls over ${procedures.length} procedures in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		await handle?.destroy();
	});

	/** A caller who gets past the procedure's need, so that the input itself is what is judged. */
	function qualifiedUser(procedure: ProcedureInfo): SessionUser | null {
		for (const user of callers.values()) if (procedure.need && satisfiesNeed(procedure.need, user)) return user;
		return null;
	}

	it.each(procedures.map((p) => [p.path, p] as const))('%s refuses malformed payloads with a 4xx, writing nothing; tricky text never crashes it', async (path, procedure) => {
		const user = qualifiedUser(procedure);
		const { caller } = callerFor(handle.db, user, { now: clock.now });
		const schema = procedure.inputs[0] as { safeParse(value: unknown): { success: boolean } } | undefined;
		for (const [label, payload] of [...refusedPayloads(procedure), ...trickyPayloads(procedure, ids)]) {
			// Refused: what the schema rejects (an unknown key is stripped, so a junk object may fit an
			// all-optional schema), and text PostgreSQL cannot store (NUL, lone surrogates).
			const refused = !schema || !schema.safeParse(payload).success || hasUnstorableText(payload);
			const before = refused ? await rowCounts(handle.db) : null;
			const outcome = await outcomeOf(() => callProcedure(caller, path, payload));
			calls++;
			if (!outcome.ok) expect(clientErrorCodes, `${path} with ${label}: ${outcome.code} ${outcome.message}`).toContain(outcome.code);
			if (!refused || !schema) continue;
			expect(outcome.ok, `${path} accepted ${label}`).toBe(false);
			expect(await rowCounts(handle.db), `${path} with ${label} wrote`).toEqual(before);
		}
		// Anonymous: refused before the input is even read (login excepted, it is public).
		if (procedure.need !== 'public') {
			const anonymous = callerFor(handle.db, null, { now: clock.now }).caller;
			const outcome = await outcomeOf(() => callProcedure(anonymous, path, deep));
			calls++;
			expect(outcome.ok ? 'ok' : outcome.code).toBe('UNAUTHORIZED');
		}
	});

	it('regression: NUL and lone surrogates are refused as invalid input before any query (they crashed login, emergency requests, audit details)', async () => {
		const before = await rowCounts(handle.db);
		const anonymous = callerFor(handle.db, null, { now: clock.now }).caller;
		const worker = callerFor(handle.db, callers.get('tisf.amelie')!, { now: clock.now }).caller;
		const dpo = callerFor(handle.db, callers.get('dpo.farid')!, { now: clock.now }).caller;
		for (const run of [
			() => anonymous.auth.login({ username: 'tisf.amelie\u0000', password: 'Carnet-Demo-2026!' }),
			() => anonymous.auth.login({ username: 'tisf.\uD800amelie', password: 'x' }),
			() => worker.emergency.request({ caseReference: 'AN-2025-001', reason: 'urgence\u0000' }),
			() => worker.emergency.request({ caseReference: 'AN-\uDFFF', reason: 'urgence' }),
			() => dpo.dpo.rights.findPersons({ query: 'Du\u0000' }),
			() => dpo.dpo.rights.register({ kind: 'access', requesterName: 'Nom \uD83D', receivedAt: '2026-11-01', personId: null })
		]) {
			const outcome = await outcomeOf(run);
			expect(outcome.ok ? 'ok' : `${outcome.code} ${outcome.message}`).toBe('BAD_REQUEST invalid-input');
		}
		expect(await rowCounts(handle.db)).toEqual(before);
		// Well-formed tricky text still goes through (bidi override, combining marks, emoji).
		const search = await outcomeOf(() => dpo.dpo.rights.findPersons({ query: `Du\u202E${'\u0301'.repeat(50)}👩‍👧` }));
		expect(search.ok).toBe(true);
	});

	it('regression: a review cursor that matches the pattern but names no instant or no note id is a BAD_REQUEST, not a crash', async () => {
		const lead = callerFor(handle.db, callers.get('chef.david')!, { now: clock.now }).caller;
		for (const before of ['7023-51-54T3Z|-b0b70e6-1fe3-9c813bc639-138f9---ea-', `2026-11-23T09:00:00.000Z|${'-'.repeat(36)}`, `2026-13-45T99Z|${crypto.randomUUID()}`]) {
			const outcome = await outcomeOf(() => lead.lead.reviewQueue({ status: 'all', before }));
			expect(outcome.ok ? 'ok' : outcome.code, before).toBe('BAD_REQUEST');
		}
		const page = await lead.lead.reviewQueue({ status: 'all' });
		if (page.nextBefore) expect((await lead.lead.reviewQueue({ status: 'all', before: page.nextBefore })).notes.length).toBeGreaterThan(0);
	});
});

describe('bad input through the real HTTP endpoint', () => {
	let server: ServerProcess;
	const port = 4600 + Math.floor(Math.random() * 100);

	beforeAll(async () => {
		if (!existsSync('build/index.js')) throw new Error('build/index.js missing: run `npx vite build` first');
		const built = statSync('build/index.js').mtimeMs;
		const newest = ['server/trpc/routers/_app.ts', 'src/hooks.server.ts'].map((f) => statSync(f).mtimeMs);
		if (Math.max(...newest) > built) console.warn('build/ looks older than the sources: run `npx vite build` for an exact check');
		server = await startBuiltServer({ PGLITE_DIR: 'memory://', DEMO_SEED: 'auto' }, port);
	}, 120_000);
	afterAll(async () => server?.stop());

	async function send(path: string, init: RequestInit = {}) {
		const response = await fetch(`${server.url}${path}`, init);
		const text = await response.text();
		let body: unknown = null;
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
		return { status: response.status, body, text };
	}

	/** A 4xx whose JSON body names the error (data.appCode or a tRPC code), never a 500. */
	function expectClientError(label: string, answer: { status: number; body: unknown; text: string }) {
		const batch = Array.isArray(answer.body);
		// A batch whose calls fail differently answers 207 (tRPC); each call still carries its own 4xx.
		if (!(batch && answer.status === 207)) {
			expect(answer.status, `${label}: ${answer.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
			expect(answer.status, `${label}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
		}
		const errors = (batch ? answer.body : [answer.body]) as { error?: { data?: { appCode?: string; code?: string; httpStatus?: number } } }[];
		for (const e of errors) {
			expect(e && typeof e === 'object' && e.error, `${label}: a JSON error, got ${answer.text.slice(0, 200)}`).toBeTruthy();
			expect(e.error!.data?.appCode ?? e.error!.data?.code, `${label}: an error code`).toBeTruthy();
			if (batch) expect(e.error!.data?.httpStatus ?? 500, `${label}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
		}
	}

	// A browser sends its Origin on every POST; without one, SvelteKit itself refuses form content
	// types with a plain-text 403 before the app sees the request (checked separately below).
	const origin = () => `http://localhost:${port}`;
	const json = { 'content-type': 'application/json', origin: `http://localhost:${port}` };

	it('malformed JSON, wrong content types, oversized and deep bodies, GET on a mutation, unknown procedures, huge query strings: 4xx with a JSON error', async () => {
		const cases: [string, string, RequestInit][] = [
			['malformed JSON', '/trpc/auth.login', { method: 'POST', headers: json, body: '{"username": "tisf.amelie", "password":' }],
			['JSON of the wrong type', '/trpc/auth.login', { method: 'POST', headers: json, body: '[1,2,3]' }],
			['empty body', '/trpc/auth.login', { method: 'POST', headers: json, body: '' }],
			['NUL and lone surrogates', '/trpc/auth.login', { method: 'POST', headers: json, body: '{"username":"a\\u0000b\\ud800","password":"\\udfff"}' }],
			['text/plain', '/trpc/auth.login', { method: 'POST', headers: { 'content-type': 'text/plain', origin: origin() }, body: '{"username":"x","password":"y"}' }],
			['form-urlencoded', '/trpc/auth.login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: origin() }, body: 'username=x&password=y' }],
			['multipart', '/trpc/auth.login', { method: 'POST', headers: { origin: origin() }, body: (() => { const f = new FormData(); f.set('username', 'x'); return f; })() }],
			['octet-stream', '/trpc/auth.login', { method: 'POST', headers: { 'content-type': 'application/octet-stream', origin: origin() }, body: new Uint8Array([0, 1, 2, 255]) }],
			['a 2 MB body', '/trpc/auth.login', { method: 'POST', headers: json, body: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * MB) }) }],
			['a depth-10k body', '/trpc/auth.login', { method: 'POST', headers: json, body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` }],
			['GET on a mutation', `/trpc/auth.login?input=${encodeURIComponent(JSON.stringify({ username: 'x', password: 'y' }))}`, { method: 'GET' }],
			['GET on a mutation of the sync', '/trpc/sync.pull', { method: 'GET' }],
			// The sync engine's binary transport of sync.pull answers bad input with the same JSON errors.
			['/sync/pull: not JSON', '/sync/pull', { method: 'POST', headers: json, body: '{nope' }],
			['/sync/pull: empty body', '/sync/pull', { method: 'POST', headers: json, body: '' }],
			['/sync/pull: JSON of the wrong type', '/sync/pull', { method: 'POST', headers: json, body: '[1,2,3]' }],
			['/sync/pull: octet-stream', '/sync/pull', { method: 'POST', headers: { 'content-type': 'application/octet-stream', origin: origin() }, body: new Uint8Array([0, 1, 2, 255]) }],
			['/sync/pull: a 2 MB body', '/sync/pull', { method: 'POST', headers: json, body: JSON.stringify({ deviceId: 'x', heldCaseIds: Array(40_000).fill('y'.repeat(50)) }) }],
			['/sync/pull: a depth-10k body', '/sync/pull', { method: 'POST', headers: json, body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` }],
			['unknown procedure', '/trpc/nope.nothing', { method: 'GET' }],
			['unknown procedure (POST)', '/trpc/admin.dropDatabase', { method: 'POST', headers: json, body: '{}' }],
			['a 12 KB query string', `/trpc/auth.me?input=${'%7B'.repeat(4_000)}`, { method: 'GET' }],
			['a bad batch', '/trpc/auth.me,nope.nothing?batch=1&input=%7B%220%22%3A', { method: 'GET' }],
			['a query input that is not JSON', '/trpc/dpo.audit.search?input=%7Bnope', { method: 'GET' }]
		];
		for (const [label, path, init] of cases) expectClientError(label, await send(path, init));
	});

	it('a form POST without Origin is refused by SvelteKit’s own CSRF check (403, before the app), one from another site by the app', async () => {
		const bare = await send('/trpc/auth.login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=x&password=y' });
		expect(bare.status).toBe(403);
		expectClientError('another origin', await send('/trpc/auth.login', { method: 'POST', headers: { ...json, origin: 'https://evil.example' }, body: '{"username":"x","password":"y"}' }));
	});

	it('a query string beyond what the HTTP server reads is refused with a 4xx, and the server stays healthy', async () => {
		const answer = await send(`/trpc/auth.me?input=${'a'.repeat(100_000)}`);
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.status).toBeLessThan(500);
		// 431 comes from Node's HTTP parser itself, before the app: no JSON body there.
		if (answer.status !== 431) expectClientError('huge query string', answer);
		expect((await send('/healthz')).status).toBe(200);
		expect(server.output()).not.toContain('trpc.internal');
	});
});
