import { expect, test } from '@playwright/test';

test.describe('HTTP hardening on real responses', () => {
	test('pages carry a CSP without unsafe-inline scripts, and the other security headers', async ({ request }) => {
		const response = await request.get('/connexion');
		expect(response.status()).toBe(200);
		const headers = response.headers();
		const csp = headers['content-security-policy'];
		expect(csp).toBeTruthy();
		const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'))!;
		expect(scriptSrc).not.toContain("'unsafe-inline'");
		expect(scriptSrc).not.toContain("'unsafe-eval'");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("object-src 'none'");
		expect(headers['referrer-policy']).toBe('no-referrer');
		expect(headers['permissions-policy']).toContain('camera=()');
		expect(headers['x-content-type-options']).toBe('nosniff');
		expect(headers['x-frame-options']).toBe('DENY');
		// Plain http on localhost: no HSTS (it is sent over HTTPS only, see server/http/securityHeaders.ts).
		expect(headers['strict-transport-security']).toBeUndefined();
	});

	test('API responses are never cached', async ({ request }) => {
		const response = await request.get('/trpc/auth.me');
		expect(response.status()).toBe(401);
		expect(response.headers()['cache-control']).toBe('no-store');
		const body = await response.json();
		expect(body.error.data.appCode).toBe('unauthenticated');
	});

	test('a state-changing request from another origin is refused (CSRF)', async ({ request }) => {
		const response = await request.post('/trpc/auth.login', {
			headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
			data: { username: 'tisf.amelie', password: 'Carnet-Demo-2026!' }
		});
		expect(response.status()).toBe(403);
		expect(response.headers()['set-cookie']).toBeUndefined();
	});

	test('the session cookie is HttpOnly and SameSite=Lax; the token never appears in a URL', async ({ request }) => {
		const response = await request.post('/trpc/auth.login', {
			headers: { origin: 'http://localhost:4173', 'content-type': 'application/json' },
			data: { username: 'chef.david', password: 'Carnet-Demo-2026!' }
		});
		expect(response.status()).toBe(200);
		const cookie = response.headers()['set-cookie'];
		expect(cookie).toMatch(/^carnet_session=[a-z2-7]{32}; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
		expect(response.url()).not.toContain('carnet_session');
	});

	test('an oversized body is refused with a 4xx and nothing else happens', async ({ request }) => {
		const response = await request.post('/trpc/auth.login', {
			headers: { 'content-type': 'application/json' },
			data: JSON.stringify({ username: 'x', password: 'y'.repeat(2_000_000) })
		});
		expect(response.status()).toBeGreaterThanOrEqual(400);
		expect(response.status()).toBeLessThan(500);
	});

	test('healthz reports the database for load balancers', async ({ request }) => {
		const response = await request.get('/healthz');
		expect(response.status()).toBe(200);
		expect(await response.json()).toEqual({ status: 'ok', database: { kind: 'pglite', status: 'up' } });
	});
});
