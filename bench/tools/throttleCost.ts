// Developer tool, not part of `npm run bench`: what DevTools CPU throttling costs the machine.
// An idle page and a busy loop at each rate, with the CPU time the whole machine used meanwhile
// (/proc/stat), to tell how much of the 2 cores a throttled page leaves to everything else (the
// server, PostgreSQL, the browser's IndexedDB and network threads).
//   npx tsx bench/tools/throttleCost.ts [rates, e.g. 1,4]
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumPath } from '../../tests/support/chromium';

const rates = (process.argv[2] ?? '1,4').split(',').map(Number);
/** CPU time the whole machine used so far (all cores, user + system), in ms. */
function machineCpuMs(): number {
	const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
	return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) * 10;
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
try {
	const page = await browser.newPage();
	await page.route('http://localhost:9/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>idle</title>' }));
	await page.goto('http://localhost:9/');
	const cdp = await page.context().newCDPSession(page);
	for (const rate of rates) {
		await cdp.send('Emulation.setCPUThrottlingRate', { rate });
		let cpu = machineCpuMs();
		const started = Date.now();
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		const idle = (machineCpuMs() - cpu) / ((Date.now() - started) / 1000);
		cpu = machineCpuMs();
		const loop = await page.evaluate(() => {
			const t = performance.now();
			let s = 0;
			for (let i = 0; i < 3e7; i++) s += Math.sqrt(i);
			return s > 0 ? performance.now() - t : 0;
		});
		console.log(`x${rate}: idle page, machine CPU ${idle.toFixed(0)} ms per s; busy loop ${loop.toFixed(0)} ms wall, machine CPU ${machineCpuMs() - cpu} ms`);
	}
} finally {
	await browser.close();
}
