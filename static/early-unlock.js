// Carnet: the unlock form, shown before the app's code is ready (a cold start on a slow tablet
// compiles that code for one to two seconds). Plain script, first in the head (src/app.html): it
// puts the form in the body as soon as the parser creates it, before the app's modules arrive and
// keep the main thread busy compiling. It reads nothing but the name of the last store (a hash,
// see src/lib/device/device-session.svelte.ts) and stores nothing. The password typed here, and a
// press of "Déverrouiller", are taken over by the app's unlock screen once it is ready
// (src/lib/lock/earlyUnlock.ts); until then the form only waits. Keep in step with
// UnlockScreen.svelte's wording and with earlyUnlock.ts.
(function () {
	'use strict';
	var path = location.pathname;
	if (path !== '/app' && path.indexOf('/app/') !== 0) return;
	try {
		if (!localStorage.getItem('carnet.store')) return;
	} catch (e) {
		return;
	}
	var section = document.createElement('section');
	section.id = 'early-unlock';
	section.className = 'early-unlock';
	section.setAttribute('aria-labelledby', 'early-unlock-title');
	section.innerHTML =
		'<h1 id="early-unlock-title">Carnet verrouillé</h1>' +
		'<p class="reason">Saisissez votre mot de passe pour accéder aux données de cet appareil.</p>' +
		'<p class="status" role="status" id="early-unlock-status"></p>' +
		'<form novalidate>' +
		'<label for="early-unlock-password">Mot de passe</label>' +
		'<input id="early-unlock-password" type="password" autocomplete="current-password" required aria-describedby="early-unlock-status">' +
		'<button type="submit">Déverrouiller</button>' +
		'</form>';
	var form = section.querySelector('form');
	var input = section.querySelector('input');
	var status = section.querySelector('.status');
	form.addEventListener('submit', function (event) {
		// Never a native submission: the password stays in this page until the app takes it.
		event.preventDefault();
		if (!input.value) return;
		section.setAttribute('data-submitted', '');
		status.textContent = 'Déverrouillage dès que Carnet est prêt…';
	});
	function show() {
		document.title = 'Carnet verrouillé — Carnet';
		document.documentElement.setAttribute('data-early-unlock', '');
		document.body.appendChild(section);
		// Once the page can be rendered (its stylesheet loaded), unless the user is already elsewhere.
		requestAnimationFrame(function () {
			if (section.isConnected && document.activeElement === document.body) input.focus();
		});
	}
	if (document.body) show();
	else
		new MutationObserver(function (records, observer) {
			if (!document.body) return;
			observer.disconnect();
			show();
		}).observe(document.documentElement, { childList: true });
	// If the app never takes over (its code could not be loaded), say so instead of waiting forever.
	setTimeout(function () {
		if (!section.isConnected) return;
		section.removeAttribute('data-submitted');
		input.value = '';
		status.className = 'status alert error';
		status.textContent = 'Carnet n’a pas pu démarrer. Rechargez la page ; si le problème persiste, reconnectez-vous avec du réseau.';
	}, 30000);
})();
