import fc from 'fast-check';
import type { IdKind, IdPools } from './fuzzWorld';

/**
 * Inputs for any procedure, built from its zod 4 input schema (`procedure._def.inputs`): the
 * generator walks `schema._zod.def` and fills id fields from the fuzz world's pools (existing ids
 * of every kind, the caller's own, random UUIDs), so that most calls pass validation and reach
 * the policy. A schema it cannot read throws `UnbuildableSchema`; the caller then sends junk.
 */

export class UnbuildableSchema extends Error {}

/** An id kind, from a field name and where it sits; null for a field that is not an id. */
export function idKindOfField(key: string, path: readonly string[]): IdKind | 'mutation' | null {
	switch (key) {
		case 'caseId':
		case 'heldCaseIds':
			return 'case';
		case 'personId':
			return 'person';
		case 'noteId':
			return 'note';
		case 'visitId':
			return 'visit';
		case 'userId':
		case 'authorId':
		case 'fromUserId':
		case 'toUserId':
			return 'user';
		case 'deviceId':
			return 'device';
		case 'teamId':
			return 'team';
		case 'organisationId':
			return 'organisation';
		case 'delegationId':
			return 'delegation';
		case 'grantId':
			return 'grant';
		case 'assignmentId':
			return 'assignment';
		case 'requestId':
			return 'rightsRequest';
		case 'id':
			return path.includes('mutations') ? 'mutation' : 'rightsRequest';
		default:
			return null;
	}
}

/** What the generators draw from: the world's pools plus a few strings that open doors. */
export interface InputContext {
	pools: IdPools;
	/** Ids of sync mutations already sent (replays of one's own and of others'). */
	mutationIds: string[];
	/** Row versions present in the world (notes, visits, users), so some optimistic checks pass. */
	versions: number[];
	now: Date;
}

type Def = { type: string; [key: string]: unknown };
type Schema = { _zod: { def: Def } };

const defOf = (schema: unknown): Def => (schema as Schema)._zod.def;

const uuidArb = fc.uuid({ version: 4 });

export function inputArbitrary(schema: unknown, ctx: InputContext): fc.Arbitrary<unknown> {
	return build(schema, ctx, []);
}

function build(schema: unknown, ctx: InputContext, path: string[]): fc.Arbitrary<unknown> {
	const def = defOf(schema);
	const key = path[path.length - 1] ?? '';
	switch (def.type) {
		case 'object': {
			const shape = def.shape as Record<string, unknown>;
			const entries = Object.entries(shape).map(([k, v]) => [k, build(v, ctx, [...path, k])] as const);
			const required = Object.entries(shape)
				.filter(([, v]) => !['optional', 'default'].includes(defOf(v).type))
				.map(([k]) => k);
			return fc.record(Object.fromEntries(entries), { requiredKeys: required });
		}
		case 'optional':
		case 'default':
		case 'prefault':
			return build(def.innerType, ctx, path);
		case 'nullable':
			return fc.oneof({ arbitrary: build(def.innerType, ctx, path), weight: 4 }, { arbitrary: fc.constant(null), weight: 1 });
		case 'readonly':
		case 'nonoptional':
			return build(def.innerType, ctx, path);
		case 'pipe':
			return build(def.in, ctx, path);
		case 'array': {
			const { min, max } = lengthBounds(def);
			return fc.array(build(def.element, ctx, path), { minLength: min ?? 0, maxLength: Math.min(max ?? 6, Math.max(min ?? 0, 6)) });
		}
		case 'union':
			return fc.oneof(...(def.options as unknown[]).map((o) => build(o, ctx, path)));
		case 'enum':
			return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
		case 'literal':
			return fc.constantFrom(...(def.values as unknown[]));
		case 'null':
			return fc.constant(null);
		case 'boolean':
			return fc.boolean();
		case 'number':
			return numberArb(def, key, ctx);
		case 'string':
			return stringArb(def, key, path, ctx);
		case 'unknown':
		case 'any':
			return fc.jsonValue({ maxDepth: 2 });
		default:
			throw new UnbuildableSchema(`cannot build ${def.type} at ${path.join('.') || '(root)'}`);
	}
}

function lengthBounds(def: Def): { min?: number; max?: number } {
	const out: { min?: number; max?: number } = {};
	for (const check of (def.checks as Schema[] | undefined) ?? []) {
		const c = check._zod.def as unknown as { check: string; minimum?: number; maximum?: number; length?: number };
		if (c.check === 'min_length') out.min = c.minimum;
		if (c.check === 'max_length') out.max = c.maximum;
		if (c.check === 'length_equals') out.min = out.max = c.length;
	}
	return out;
}

function numberArb(def: Def, key: string, ctx: InputContext): fc.Arbitrary<number> {
	let min = -1_000;
	let max = 1_000_000;
	let integer = false;
	for (const check of (def.checks as Schema[] | undefined) ?? []) {
		const c = check._zod.def as unknown as { check: string; value?: number; inclusive?: boolean; format?: string };
		if (c.check === 'greater_than') min = c.inclusive ? c.value! : c.value! + 1;
		if (c.check === 'less_than') max = c.inclusive ? c.value! : c.value! - 1;
		if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32')) integer = true;
	}
	const base = integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
	const versions = ctx.versions.filter((v) => v >= min && v <= max);
	if (/version/i.test(key) && versions.length > 0) return fc.oneof({ arbitrary: fc.constantFrom(...versions), weight: 3 }, { arbitrary: base, weight: 1 });
	return base;
}

function stringArb(def: Def, key: string, path: string[], ctx: InputContext): fc.Arbitrary<string> {
	const format = def.format as string | undefined;
	const { min, max } = lengthBounds(def);
	if (format === 'uuid' || format === 'guid') return uuidFor(idKindOfField(key, path), ctx);
	if (format === 'datetime') return isoDateTime(ctx.now);
	const pattern = regexOf(def);
	if (pattern) {
		if (pattern.source === '^\\d{4}-\\d{2}-\\d{2}$') return isoDay(ctx.now);
		return fc.stringMatching(pattern).filter((s) => s.length <= (max ?? Infinity) && s.length >= (min ?? 0));
	}
	if (format && format !== 'regex') throw new UnbuildableSchema(`cannot build string format ${format} at ${path.join('.')}`);
	const lo = min ?? 0;
	const hi = Math.min(max ?? 200, 200);
	const fits = (s: string) => s.length >= lo && s.length <= (max ?? Infinity) && (lo === 0 || s.trim().length >= lo);
	const free = fc.string({ minLength: Math.max(lo, 0), maxLength: Math.max(hi, lo), unit: 'grapheme' }).filter(fits);
	const hinted = hintedStrings(key, ctx).filter(fits);
	return hinted.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...hinted), weight: 3 }, { arbitrary: free, weight: 1 }) : free;
}

/** Strings that make a field meaningful: real references, usernames, names, passwords, reasons. */
function hintedStrings(key: string, ctx: InputContext): string[] {
	const { pools } = ctx;
	switch (key) {
		case 'caseReference':
		case 'caseQuery':
			return [...pools.references, ...pools.byKind.case.slice(0, 20)];
		case 'username':
		case 'userQuery':
			return [...pools.usernames, 'TISF.AMELIE', ' chef.david '];
		case 'personQuery':
		case 'query':
			return [...pools.personNames, ...pools.byKind.person.slice(0, 10)];
		case 'password':
		case 'currentPassword':
			return ['Carnet-Demo-2026!', 'mauvais'];
		case 'newPassword':
			return ['Nouveau-Carnet-2026?', 'court', 'Carnet-Demo-2026!'];
		case 'action':
			return ['sync.', 'sync.pull', 'rights.', 'journal.', 'view.', 'auth.login'];
		case 'deviceQuery':
			return pools.byKind.device.map((id) => id.slice(0, 8));
		case 'reason':
		case 'comment':
		case 'outcome':
			return ['Arrêt maladie de la référente', 'Vérification demandée par la personne', '   '];
		case 'name':
		case 'displayName':
		case 'requesterName':
			return ['Équipe Fuzz', 'Demandeur Fuzz'];
		default:
			return [];
	}
}

function regexOf(def: Def): RegExp | null {
	if (def.format === 'regex' && def.pattern instanceof RegExp) return def.pattern;
	for (const check of (def.checks as Schema[] | undefined) ?? []) {
		const c = check._zod.def as unknown as { check: string; format?: string; pattern?: RegExp };
		if (c.check === 'string_format' && c.format === 'regex' && c.pattern) return c.pattern;
	}
	return null;
}

/** Existing ids of the field's kind (the caller's own more often), any existing id, or a fresh UUID. */
function uuidFor(kind: IdKind | 'mutation' | null, ctx: InputContext): fc.Arbitrary<string> {
	const { pools } = ctx;
	const options: { arbitrary: fc.Arbitrary<string>; weight: number }[] = [{ arbitrary: uuidArb, weight: 1 }];
	const existing = kind === 'mutation' ? ctx.mutationIds : kind ? pools.byKind[kind] : Object.values(pools.byKind).flat();
	if (existing.length > 0) options.push({ arbitrary: fc.constantFrom(...existing), weight: 3 });
	const own = kind && kind !== 'mutation' ? pools.own[kind] : undefined;
	if (own && own.length > 0) options.push({ arbitrary: fc.constantFrom(...own), weight: 3 });
	return fc.oneof(...options);
}

function isoDateTime(now: Date): fc.Arbitrary<string> {
	const day = 86_400_000;
	return fc
		.integer({ min: -120 * day, max: 120 * day })
		.map((offset) => new Date(now.getTime() + offset).toISOString());
}

function isoDay(now: Date): fc.Arbitrary<string> {
	return isoDateTime(now).map((s) => s.slice(0, 10));
}

/** Anything at all: what a procedure whose schema the fuzz cannot read is called with. */
export const junkArbitrary: fc.Arbitrary<unknown> = fc.oneof(
	fc.constant(undefined),
	fc.constant(null),
	fc.jsonValue({ maxDepth: 3 }),
	fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 })
);
