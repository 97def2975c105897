/**
 * Headers on every response (the Content-Security-Policy itself comes from SvelteKit's csp
 * config in svelte.config.js, with hashes for its inline scripts).
 */
export function securityHeaders(secure: boolean): Record<string, string> {
	const headers: Record<string, string> = {
		'X-Content-Type-Options': 'nosniff',
		'X-Frame-Options': 'DENY',
		'Referrer-Policy': 'no-referrer',
		'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
		'Cross-Origin-Opener-Policy': 'same-origin',
		'Cross-Origin-Resource-Policy': 'same-origin'
	};
	if (secure) headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
	return headers;
}
