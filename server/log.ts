/**
 * Structured logs on stdout. Never pass personal data or secrets here: only ids, codes and
 * counts (SECURITY.md, "Logs").
 */
export function log(level: 'debug' | 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown> = {}): void {
	if (process.env.NODE_ENV === 'test' && level !== 'error') return;
	const line = JSON.stringify({ at: new Date().toISOString(), level, event, ...fields });
	if (level === 'error' || level === 'warn') console.error(line);
	else console.log(line);
}
