import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import postgres from 'postgres';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright';
import { hashPassword } from '../../server/auth/password';
import { chromiumArgs, chromiumPath } from '../../tests/support/chromium';
import { serveHarness } from '../browser/bundleHarness';
import { ids, SYNC_USERNAME } from '../dataset/generateDataset';
import { appDir, type AppServer } from '../lib/appServer';
import type { Figures } from '../lib/figures';
import { createSessions } from '../lib/sessions';

export interface BrowserOptions {
	server: AppServer;
	figures: Figures;
	log: (line: string) => void;
	databaseUrl: string;
	runs: number;
	/** CPU throttling rates to measure at (Emulation.setCPUThrottlingRate). */
	rates?: number[];
}

const PASSWORD = 'Bench-Carnet-2026!';
const rateName = (rate: number) => `x${rate}`;

async function throttle(page: Page, rate: number) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate });
	return cdp;
}

/** JS heap in use after a full garbage collection, in MiB. */
async function heapAfterGc(page: Page): Promise<number> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('HeapProfiler.enable');
	await cdp.send('HeapProfiler.collectGarbage');
	await cdp.send('HeapProfiler.collectGarbage');
	const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
	await cdp.detach();
	return usedSize / 2 ** 20;
}

/**
 * Browser figures in headless Chromium, at each CPU throttling rate.
 *
 * Harness page (real src/lib modules bundled by esbuild, served at the app's origin):
 * initial_sync, baseline_plain_put, unlock, search. Real built app (login, service worker,
 * reload offline): shell_js_gz, offline_start, heap_after_unlock.
 */
export async function benchBrowser(o: BrowserOptions): Promise<void> {
	const rates = o.rates ?? (process.env.BENCH_RATES ? process.env.BENCH_RATES.split(",").map(Number) : [1, 4]);
	const sql = postgres(o.databaseUrl, { max: 1, onnotice: () => {} });
	// The sync user gets a real password for the app's login; the harness uses a session made in SQL.
	await setSyncUserPassword(sql);
	const token = (await createSessions(sql, [ids.syncUser])).get(ids.syncUser)!;
	await sql.end({ timeout: 1 });

	const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
	try {
		const context = await browser.newContext();
		await context.addCookies([{ name: 'carnet_session', value: token, domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax' }]);
		await harnessScenarios(o, context, rates);
		await context.close();
	} finally {
		await browser.close();
	}
	await appScenarios(o, rates);
}

async function harnessScenarios(o: BrowserOptions, context: BrowserContext, rates: number[]) {
	await serveHarness(context, o.server.url, 'bench');
	const page = await context.newPage();
	page.on('pageerror', (error) => o.log(`  page error: ${error.message}`));
	await page.goto(`${o.server.url}/__bench/index.html`);
	await page.waitForFunction(() => document.title === 'bench-ready');
	type Bench = Record<string, (...args: unknown[]) => Promise<{ ms: number } & Record<string, number>>>;
	const call = (name: string, ...args: unknown[]) =>
		page.evaluate(([n, a]) => (globalThis as unknown as { bench: Bench }).bench[n as string](...(a as unknown[])), [name, args] as const);

	const { records } = await call('fetchRecords');
	o.log(`  harness: ${records} records in the sync caseload`);
	// Not timed: what a first sync stores must decrypt to exactly the records the server sends.
	const check = await call('verifyInitialSync');
	if (check.records !== records || check.mismatches !== 0 || check.quarantined !== 0) {
		throw new Error(`initial sync stored wrong data: ${JSON.stringify(check)}`);
	}
	await call('prepareSyncedStore', PASSWORD);
	for (const rate of rates) {
		const cdp = await throttle(page, rate);
		const sync: number[] = [];
		const plain: number[] = [];
		await call('initialSync'); // warm-up (JIT, server caches)
		await call('plainPut');
		for (let run = 0; run < o.runs; run++) {
			// Alternate, so that drift on this shared machine hits both alike.
			const s = await call('initialSync');
			if (s.records !== records) throw new Error(`initial sync stored ${s.records} records, expected ${records}`);
			sync.push(s.ms);
			plain.push((await call('plainPut')).ms);
		}
		// What the server and the network take alone (pages fetched one after the other, in the packed
		// form the sync engine asks for, nothing stored).
		const fetchOnly: number[] = [];
		for (let run = 0; run < o.runs; run++) fetchOnly.push((await call('fetchRecords', true)).ms);
		o.figures.add(`initial_sync_fetch_only.ms.${rateName(rate)}`, 'ms', fetchOnly);
		const ratios = sync.map((ms, i) => ms / plain[i]);
		o.log(`  ${rateName(rate)} initial_sync ${sync.map((v) => v.toFixed(0)).join(' / ')} ms; plain put ${plain.map((v) => v.toFixed(0)).join(' / ')} ms; fetch only ${fetchOnly.map((v) => v.toFixed(0)).join(' / ')} ms`);
		o.figures.add(`initial_sync.ms.${rateName(rate)}`, 'ms', sync, rate === 4 ? { op: '<=', value: 3000 } : undefined);
		o.figures.add(`baseline_plain_put.ms.${rateName(rate)}`, 'ms', plain);
		o.figures.add(`initial_sync.ratio_to_baseline.${rateName(rate)}`, '×', ratios, { op: '<=', value: 1.5 });

		// The store made by prepareSyncedStore (shipped KDF parameters) is open: unlock it again and again.
		const unlock: number[] = [];
		for (let run = 0; run < o.runs; run++) unlock.push((await call('unlock', PASSWORD)).ms);
		o.log(`  ${rateName(rate)} unlock ${unlock.map((v) => v.toFixed(0)).join(' / ')} ms`);
		o.figures.add(`unlock.ms.${rateName(rate)}`, 'ms', unlock, rate === 4 ? { op: '<=', value: 1500 } : undefined);
		// Pressing "Déverrouiller" before the KDF's memory is committed (no target: the worst case).
		const cold: number[] = [];
		for (let run = 0; run < o.runs; run++) cold.push((await call('unlock', PASSWORD, true)).ms);
		o.log(`  ${rateName(rate)} unlock before the KDF memory is ready ${cold.map((v) => v.toFixed(0)).join(' / ')} ms`);
		o.figures.add(`unlock_cold.ms.${rateName(rate)}`, 'ms', cold);

		const load: number[] = [];
		const list: number[] = [];
		for (let run = 0; run < o.runs; run++) {
			const loaded = await call('loadCaseload');
			load.push(loaded.ms);
			list.push(loaded.listMs);
		}
		// The caseload list is shown once its cases are decrypted; the notes follow for the search.
		o.figures.add(`caseload_list.ms.${rateName(rate)}`, 'ms', list);
		o.figures.add(`caseload_decrypt.ms.${rateName(rate)}`, 'ms', load);
		// The same screen again after a sync that changed one note (values opened before kept).
		const reload: number[] = [];
		for (let run = 0; run < o.runs; run++) reload.push((await call('loadCaseload', true)).ms);
		o.figures.add(`caseload_reload.ms.${rateName(rate)}`, 'ms', reload);
		const build: number[] = [];
		for (let run = 0; run < o.runs; run++) build.push((await call('searchIndex')).ms);
		o.figures.add(`search_index_build.ms.${rateName(rate)}`, 'ms', build);
		const queries: number[] = [];
		for (let run = 0; run < o.runs; run++) {
			// A common word, a rare one, two words: the p100 of each batch counts.
			const batch: number[] = [];
			for (const query of ['football', 'zzzz-introuvable', 'courrier caf', 'Goûter partagé']) {
				for (let i = 0; i < 5; i++) batch.push((await call('search', query)).ms);
			}
			queries.push(Math.max(...batch));
		}
		o.log(`  ${rateName(rate)} caseload list ${list.map((v) => v.toFixed(0)).join(' / ')} ms, with every note ${load.map((v) => v.toFixed(0)).join(' / ')} ms, again after a one-note sync ${reload.map((v) => v.toFixed(0)).join(' / ')} ms, index ${build.map((v) => v.toFixed(0)).join(' / ')} ms, search max ${queries.map((v) => v.toFixed(1)).join(' / ')} ms`);
		o.figures.add(`search.ms.${rateName(rate)}`, 'ms', queries, { op: '<=', value: 50 });
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
		await cdp.detach();
	}
	await call('cleanup');
}

/**
 * Records (ms since navigation start) when an unlock form is shown and usable: a password field
 * and an enabled "Déverrouiller" button, then the frame that paints them (a requestAnimationFrame,
 * which waits for the page's stylesheets, then a task after that frame). `__unlockReadyAt`: any
 * such form, the cold start's early form (static/early-unlock.js) included; `__appUnlockReadyAt`:
 * the app's own unlock screen (its code loaded, the early form taken over). Checked on every DOM
 * change and every 5 ms. A string, so that no bundler helper (tsx's __name) ends up in the page.
 */
const UNLOCK_READY_PROBE = `(() => {
	const pending = new Set();
	const painted = (key) => {
		if (globalThis[key] !== undefined || pending.has(key)) return;
		pending.add(key);
		requestAnimationFrame(() => setTimeout(() => { globalThis[key] = performance.now(); }, 0));
	};
	const check = () => {
		const buttons = [...document.querySelectorAll('button[type="submit"]')].filter((b) => b.textContent.includes('Déverrouiller') && !b.disabled && b.form && b.form.querySelector('input[type="password"]'));
		if (buttons.length === 0) return;
		painted('__unlockReadyAt');
		if (buttons.some((b) => !b.closest('#early-unlock'))) painted('__appUnlockReadyAt');
	};
	new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
	const timer = setInterval(() => { check(); if (pending.has('__appUnlockReadyAt')) clearInterval(timer); }, 5);
})();`;

/** Gives the sync user the bench's password for the app's login (and lifts any login throttling). */
export async function setSyncUserPassword(sql: postgres.Sql): Promise<void> {
	await sql`update users set password_hash = ${await hashPassword(PASSWORD)}, must_change_password = false, failed_logins = 0, locked_until = null where id = ${ids.syncUser}`;
	await sql`delete from login_throttles`;
}

/** A Chromium on a persistent profile in `profile`, opening pages of the app at `baseUrl`. */
export function launchAppProfile(profile: string, baseUrl: string): Promise<BrowserContext> {
	return chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs, headless: true, baseURL: baseUrl, locale: 'fr-FR' });
}

/**
 * Signs the sync user in on the real app (keyring with the shipped parameters, first sync of the
 * 60 cases, everything sent, service worker in control).
 */
export async function signInSyncUser(page: Page): Promise<void> {
	await page.goto('/connexion');
	await page.getByLabel('Identifiant').fill(SYNC_USERNAME);
	await page.getByLabel('Mot de passe').fill(PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await caseItems(page).nth(59).waitFor({ timeout: 120_000 });
	await page.getByText('Tout est envoyé').waitFor({ timeout: 120_000 });
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
}

/**
 * For the developer tools: gives the sync user the bench's password (on the bench database) and
 * returns a new browser profile signed in on `baseUrl` (keyring, first sync, service worker).
 */
export async function signedInProfile(databaseUrl: string, baseUrl: string, prefix: string): Promise<string> {
	const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
	try {
		await setSyncUserPassword(sql);
	} finally {
		await sql.end({ timeout: 1 });
	}
	const profile = mkdtempSync(join(tmpdir(), prefix));
	const context = await launchAppProfile(profile, baseUrl);
	await signInSyncUser(context.pages()[0] ?? (await context.newPage()));
	await context.close();
	return profile;
}

/** A fresh browser process on `profile`, offline, its page's main thread throttled at `rate` before any navigation. */
export async function launchOffline(profile: string, baseUrl: string, rate: number): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
	const context = await launchAppProfile(profile, baseUrl);
	await context.setOffline(true);
	const page = context.pages()[0] ?? (await context.newPage());
	return { context, page, cdp: await throttle(page, rate) };
}

/**
 * One offline start: a fresh browser process on `profile` (signed in before, service worker
 * installed), offline, throttled before navigation; ms from navigation start to an enabled
 * "Déverrouiller" button beside a password field (`ms`: the first such form, the early one of a
 * cold start included; `appMs`: the app's own unlock screen). Fails unless the service worker
 * served it.
 */
export async function measureOfflineStart(profile: string, baseUrl: string, rate: number, log: (line: string) => void): Promise<{ ms: number; appMs: number }> {
	const { context, page } = await launchOffline(profile, baseUrl, rate);
	try {
		await page.addInitScript(UNLOCK_READY_PROBE);
		await page.goto('/app');
		await page
			.waitForFunction(() => (globalThis as { __appUnlockReadyAt?: number }).__appUnlockReadyAt !== undefined, undefined, { timeout: 60_000 })
			.catch(async (error) => {
				log(`  offline start: no unlock screen; page shows: ${(await page.locator('body').innerText().catch(() => '?')).slice(0, 300)}`);
				throw error;
			});
		const times = await page.evaluate(() => {
			const probe = globalThis as unknown as { __unlockReadyAt: number; __appUnlockReadyAt: number };
			return { ms: probe.__unlockReadyAt, appMs: probe.__appUnlockReadyAt };
		});
		const fromSw = await page.evaluate(() => navigator.serviceWorker.controller !== null);
		if (!fromSw) throw new Error('offline start was not served by the service worker');
		return times;
	} finally {
		await context.close();
	}
}

const caseItems = (page: Page) => page.getByRole('list', { name: 'Dossiers' }).getByRole('listitem');

/** The real built app in a persistent profile: sign in once (keyring, first sync, service worker), then reopen it. */
async function appScenarios(o: BrowserOptions, rates: number[]) {
	const profile = mkdtempSync(join(tmpdir(), 'carnet-bench-profile-'));
	const launch = () => launchAppProfile(profile, o.server.url);
	try {
		let context = await launch();
		let page = context.pages()[0] ?? (await context.newPage());
		await signInSyncUser(page);
		const cases = caseItems(page);

		// shell_js_gz and heap_after_unlock: reload (locked), unlock, caseload with its search index.
		const heaps: number[] = [];
		let scripts = new Set<string>();
		for (let run = 0; run < o.runs; run++) {
			const seen = new Set<string>();
			const onRequest = (request: { url(): string; resourceType(): string }) => {
				if (request.resourceType() === 'script') seen.add(new URL(request.url()).pathname);
			};
			page.on('request', onRequest);
			await page.reload();
			await page.getByLabel('Mot de passe').fill(PASSWORD);
			await page.getByRole('button', { name: 'Déverrouiller' }).click();
			await cases.nth(59).waitFor({ timeout: 120_000 });
			// The list comes first; the notes are decrypted for the search after it (ninth round).
			await page.locator('[role="search"][aria-busy="false"]').waitFor({ timeout: 120_000 });
			await page.waitForLoadState('networkidle');
			await page.waitForTimeout(1_000);
			page.off('request', onRequest);
			scripts = seen;
			heaps.push(await heapAfterGc(page));
		}
		o.log(`  heap after unlock (60 cases, 3,000 notes, search index): ${heaps.map((v) => v.toFixed(1)).join(' / ')} MiB`);
		o.figures.add('heap_after_unlock.mib', 'MiB', heaps, { op: '<=', value: 60 });

		let gz = 0;
		let raw = 0;
		for (const path of scripts) {
			const file = join(appDir, 'client', path);
			if (!existsSync(file)) continue;
			const body = readFileSync(file);
			raw += body.length;
			gz += existsSync(`${file}.gz`) ? readFileSync(`${file}.gz`).length : gzipSync(body, { level: 9 }).length;
		}
		o.log(`  shell JS: ${scripts.size} files, ${(raw / 1024).toFixed(0)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzip`);
		o.figures.add('shell_js_gz.kib', 'KiB', [gz / 1024], { op: '<=', value: 150 });
		o.figures.add('shell_js_raw.kib', 'KiB', [raw / 1024]);
		await context.close();

		// offline_start: a fresh browser process on the same profile, offline, to the unlock screen.
		for (const rate of rates) {
			const times: number[] = [];
			const appTimes: number[] = [];
			for (let run = 0; run < o.runs + 1; run++) {
				const { ms, appMs } = await measureOfflineStart(profile, o.server.url, rate, o.log);
				if (run === 0) continue; // the first launch warms the profile's disk caches
				times.push(ms);
				appTimes.push(appMs);
			}
			o.log(`  ${rateName(rate)} offline start to a usable unlock form: ${times.map((v) => v.toFixed(0)).join(' / ')} ms; to the app's unlock screen: ${appTimes.map((v) => v.toFixed(0)).join(' / ')} ms`);
			o.figures.add(`offline_start.ms.${rateName(rate)}`, 'ms', times, rate === 4 ? { op: '<=', value: 1000 } : undefined);
			o.figures.add(`offline_start_app.ms.${rateName(rate)}`, 'ms', appTimes);
		}
	} finally {
		rmSync(profile, { recursive: true, force: true });
	}
}

