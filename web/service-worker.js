// Amparo's service worker (docs/offline.md). The build prefixes this file with `PRECACHE` (every file
// of the build) and `VERSION`, and writes it as /sw.js (web/vite.config.ts, offlineShell()).
//
// It keeps the app shell only: the HTML page, scripts, styles, fonts, strings. Answers of the API are
// never cached here (they would sit unencrypted in Cache Storage); the data for offline work lives
// encrypted in IndexedDB (web/src/offline/device.ts).
/* global self, caches, PRECACHE, VERSION */
const CACHE = `amparo-shell-${VERSION}`;
const SHELL = '/personal';
// The staff app's pages that open offline; the public pages are rendered by the server and need it.
const OFFLINE_PAGES = /^\/(personal|sin-conexion)(\/|$)/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([SHELL, ...PRECACHE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('amparo-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    if (!OFFLINE_PAGES.test(url.pathname)) return;
    // The network first (a new build, a new page); the kept shell when there is none.
    event.respondWith(
      fetch(request).catch(() => caches.open(CACHE).then((cache) => cache.match(SHELL)).then((kept) => kept ?? Response.error())),
    );
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    // Hashed files never change under one name: the kept copy is the file.
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(url.pathname)).then((kept) => kept ?? fetch(request)));
  }
});
