import { describe, expect, it } from 'vitest';
import { appRouter } from '../../server/trpc/routers/_app';
import type { Need } from '../../server/policy/needs';

const knownNeeds: readonly Need[] = ['public', 'session', 'signed-in', 'sync', 'review', 'administer', 'audit'];

/** Every procedure declares what it needs (STYLE.md rule 4): deny by default is not enough on its own. */
describe('router needs', () => {
	const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { need?: string } } }>);

	it('finds the procedures of the router', () => {
		expect(procedures.length).toBeGreaterThan(0);
		expect(procedures.map(([path]) => path)).toEqual(expect.arrayContaining(['auth.login', 'sync.pull', 'sync.push', 'sync.journal']));
	});

	it.each(procedures.map(([path, procedure]) => [path, procedure._def.meta?.need] as const))('%s declares a known need (%s)', (_path, need) => {
		expect(need).toBeDefined();
		expect(knownNeeds).toContain(need);
	});

	it('only the login is public', () => {
		const publicPaths = procedures.filter(([, p]) => p._def.meta?.need === 'public').map(([path]) => path);
		expect(publicPaths).toEqual(['auth.login']);
	});
});
