// The kiosk is a single-page shell, prerendered so the service worker can precache `/kiosk` and
// the counter cold-starts with the network gone. All data comes from the device's IndexedDB.
export const prerender = true;
export const ssr = false;
