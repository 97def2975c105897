import { defineConfig } from 'vitest/config';

/**
 * Long suites (faults, scale-out, load): not part of `npm test`. They start the built app
 * (build/, or CARNET_LONG_BUILD) and need PostgreSQL (TEST_DATABASE_URL). One file at a time:
 * they measure the machine and must not compete with each other.
 *
 *   npx vite build && npx vitest run --config tests/long/vitest.config.ts
 */
export default defineConfig({
	test: {
		name: 'long',
		root: process.cwd(),
		include: ['tests/long/**/*.test.ts'],
		environment: 'node',
		fileParallelism: false,
		testTimeout: 30 * 60_000,
		hookTimeout: 5 * 60_000,
		reporters: ['verbose'],
		// The suites print their figures; show them.
		silent: false
	}
});
