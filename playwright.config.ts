import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, chromiumPath } from './tests/support/chromium.ts';

const port = Number(process.env.E2E_PORT ?? 4173);
// One fresh embedded database per run; workers inherit the variable from the main process.
process.env.CARNET_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'carnet-e2e-'));

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://localhost:${port}`,
		locale: 'fr-FR',
		timezoneId: 'Europe/Paris',
		launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
		trace: 'off'
	},
	projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
	webServer: {
		command: 'node scripts/serve.js build/index.js',
		url: `http://localhost:${port}/healthz`,
		reuseExistingServer: false,
		timeout: 60_000,
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: `http://localhost:${port}`,
			PGLITE_DIR: process.env.CARNET_E2E_DATA,
			DEMO_SEED: 'auto',
			RETENTION_JOB: 'off',
			LOGIN_MAX_PER_ADDRESS: '10000'
		}
	}
});
