// The lobby display is a single-page shell, prerendered so the service worker can precache
// `/display` and the TV starts with the network gone. All content comes from its IndexedDB.
export const prerender = true;
export const ssr = false;
