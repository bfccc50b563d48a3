// The offline worker, served at /service-worker.js so it looks after every page of the site.
//
// Static files come from the cache first (a new version of any of them changes VERSION, so the
// worker is replaced and its cache with it). The week's pages, its recipes and its shopping lists
// come from the network first and are kept, so a page opened once also opens without a signal.
// Nothing else is kept: no POST, nothing under /api/, no page that redirects (to log in). Kept
// pages belong to the account that opened them: the pages' script (pwa.js) has them forgotten
// when someone logs out or another account logs in.
"use strict";

const VERSION = "__VERSION__"; // filled in by the server: a digest of the static files
const STATIC = `gut-planner-static-${VERSION}`;
const PAGES = "gut-planner-pages";
const OFFLINE_PAGE = "/static/offline.html";
const PRECACHE = ["/static/style.css", "/static/plan.css", "/static/pwa.js", "/static/shopping.js",
  "/static/icon-192.png", OFFLINE_PAGE];
// How long a page may take over a weak signal before the kept copy is shown (the network's
// answer still replaces the kept copy when it comes).
const PATIENCE_MS = 4000;
const KEPT_PAGES = [
  /^\/plans\/\d+$/, /^\/plans\/$/,
  /^\/recipes\/[^/]+$/, /^\/recipes\/[^/]+\/photo$/,
  /^\/shopping\/$/, /^\/shopping\/(plans|profiles)\/\d+$/,
];

function keptPage(url) {
  return url.origin === self.location.origin && KEPT_PAGES.some((pattern) => pattern.test(url.pathname));
}

function keepable(response) {
  return response.status === 200 && response.type === "basic" && !response.redirected;
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("gut-planner-static-") && name !== STATIC) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function fromCacheFirst(request) {
  const cache = await caches.open(STATIC);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (keepable(response)) await cache.put(request, response.clone());
  return response;
}

async function fromNetworkFirst(event) {
  const { request } = event;
  const key = request.url;
  const cache = await caches.open(PAGES);
  const network = fetch(request).then((response) => {
    if (keepable(response)) {
      event.waitUntil(cache.put(key, response.clone()));
    }
    return response;
  });
  event.waitUntil(network.catch(() => null));
  const kept = cache.match(key, { ignoreVary: true });
  const slow = new Promise((resolve) => { setTimeout(resolve, PATIENCE_MS, "slow"); });
  try {
    const first = await Promise.race([network, slow]);
    if (first !== "slow") return first;
    return (await kept) || (await network);
  } catch (error) {
    const found = await kept;
    if (found) return found;
    if (request.mode === "navigate") return (await caches.match(OFFLINE_PAGE)) || Response.error();
    return Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return; // never kept: the network answers, or the request fails
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(fromCacheFirst(request));
  } else if (keptPage(url)) {
    event.respondWith(fromNetworkFirst(event));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(async () => (await caches.match(OFFLINE_PAGE)) || Response.error()));
  }
});

// Pages to keep before they are opened (a shopping list's week and recipes), and forgetting every
// kept page (log-out).
async function keep(urls) {
  const cache = await caches.open(PAGES);
  for (const address of urls) {
    const url = new URL(address, self.location.origin);
    url.hash = "";
    if (!keptPage(url) || await cache.match(url.href, { ignoreVary: true })) continue;
    try {
      const response = await fetch(url.href, { credentials: "same-origin" });
      if (keepable(response)) await cache.put(url.href, response);
    } catch (error) {
      return false; // the signal went: the rest wait for the next visit
    }
  }
  return true;
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  const reply = (answer) => { if (event.source) event.source.postMessage(answer); };
  if (message.type === "keep" && Array.isArray(message.urls)) {
    event.waitUntil(keep(message.urls).then((done) => reply({ type: "kept", done })));
  } else if (message.type === "forget") {
    event.waitUntil(caches.delete(PAGES).then(() => reply({ type: "forgotten" })));
  }
});
