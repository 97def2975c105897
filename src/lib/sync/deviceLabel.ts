/** A label that lets the worker recognise this device in "Mes appareils" (no personal data). */
export function deviceLabel(): string {
	const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;
	const kind = /iPad|Tablet|Android(?!.*Mobile)/i.test(ua) ? 'Tablette' : /Mobi|iPhone|Android/i.test(ua) ? 'Téléphone' : 'Ordinateur';
	const browser = /Firefox\//.test(ua) ? 'Firefox' : /Edg\//.test(ua) ? 'Edge' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Navigateur';
	return `${kind} — ${browser}`;
}
