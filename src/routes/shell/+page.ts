// The offline app shell: prerendered at build time, precached by the service worker and served
// for every navigation when offline. Holds no data; the client router then renders the real route.
export const prerender = true;
