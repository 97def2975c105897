// The whole app renders in the browser, from the encrypted local store: the server sends only
// the shell (which the service worker can serve offline) and the tRPC API.
export const ssr = false;
export const prerender = false;
