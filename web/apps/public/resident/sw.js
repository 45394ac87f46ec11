/*
 * The resident app's service worker: the app opens with no network (issue 12, PWA).
 *  - install: cache the app shell — index.html and every script and style it names;
 *  - navigations inside /app/resident/: network first (a new build shows at once), the
 *    cached shell when offline;
 *  - /app/assets/*: hashed and immutable, so cache first; screens loaded later are kept
 *    as they are fetched;
 *  - the API is never cached here: the app keeps its own last parcel list (offline.ts).
 */
const CACHE = 'antnest-resident-v1';
const SHELL = '/app/resident/';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const res = await fetch(SHELL, { cache: 'no-cache' });
      if (!res.ok) return;
      const html = await res.clone().text();
      await cache.put(SHELL, res);
      const assets = [...html.matchAll(/(?:src|href)="(\/app\/[^"]+)"/g)].map((m) => m[1]);
      await cache.addAll([...new Set(assets)]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate' && url.pathname.startsWith(SHELL)) {
    event.respondWith(
      (async () => {
        try {
          const res = await fetch(req);
          if (res.ok) (await caches.open(CACHE)).put(SHELL, res.clone());
          return res;
        } catch {
          return (await caches.match(SHELL)) ?? Response.error();
        }
      })(),
    );
    return;
  }
  if (url.pathname.startsWith('/app/assets/') || url.pathname === `${SHELL}manifest.webmanifest`) {
    event.respondWith(
      (async () => {
        const hit = await caches.match(req);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) (await caches.open(CACHE)).put(req, res.clone());
        return res;
      })(),
    );
  }
});
