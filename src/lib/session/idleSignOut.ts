/**
 * Online-only roles (lead, administrator, DPO) hold no local store: the session lock of the
 * CNIL référentiel is a sign-out after the organisation's idle timeout. Compares timestamps on
 * a short interval, so a throttled background tab still signs out on its return.
 */
export function watchIdle(timeoutSeconds: number, onIdle: () => void, now: () => number = Date.now): () => void {
	let last = now();
	const events = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll'] as const;
	const activity = () => (last = now());
	for (const type of events) window.addEventListener(type, activity, { capture: true, passive: true });
	const check = () => {
		if (now() - last > timeoutSeconds * 1000) {
			stop();
			onIdle();
		}
	};
	const timer = setInterval(check, 5_000);
	document.addEventListener('visibilitychange', check);
	function stop() {
		for (const type of events) window.removeEventListener(type, activity, { capture: true });
		document.removeEventListener('visibilitychange', check);
		clearInterval(timer);
	}
	return stop;
}
