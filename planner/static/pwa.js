// Every page: start the offline worker, keep a shopping list's week and recipes on the phone, and
// forget what is kept when someone logs out (or another account logs in), so the next person on
// the phone never opens the last one's pages.
(function () {
  "use strict";

  const PAGES = "gut-planner-pages"; // the worker's cache of pages (sw.js)
  const ACCOUNT = "gut-planner:account";
  const QUEUE = "gut-planner:tick-queue"; // ticks waiting to be saved (shopping.js)
  const script = document.currentScript;
  const account = document.documentElement.dataset.account || "";

  function stored(key) {
    try {
      return localStorage.getItem(key);
    } catch (error) {
      return null; // a browser that refuses storage keeps nothing either
    }
  }

  function forget() {
    try {
      localStorage.removeItem(QUEUE);
    } catch (error) {
      // nothing was stored
    }
    if (window.caches) caches.delete(PAGES).catch(() => {});
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget" });
    }
  }

  if (stored(ACCOUNT) !== account) {
    forget();
    try {
      localStorage.setItem(ACCOUNT, account);
    } catch (error) {
      // forgotten again on the next page: harmless
    }
  }

  // Logging out clears at once, before the next page says so.
  document.addEventListener("submit", (event) => {
    const action = event.target.getAttribute("action") || "";
    if (/\/account\/(logout|sessions\/end-all)$/.test(action)) forget();
  });

  // Ticks made without a signal on a list are sent from any page once there is one.
  if (stored(QUEUE) && !document.querySelector("form[data-ticks]") && script.dataset.ticks) {
    const ticks = document.createElement("script");
    ticks.src = script.dataset.ticks;
    document.head.append(ticks);
  }

  if (!("serviceWorker" in navigator) || !script.dataset.worker) return;

  async function links(address) {
    // The recipe pages (and their photos) a week page links to.
    const response = await fetch(address, { credentials: "same-origin" });
    if (!response.ok) return [];
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    return Array.from(page.querySelectorAll("main a[href^='/recipes/'], main img[src^='/recipes/']"),
      (link) => link.getAttribute("href") || link.getAttribute("src"));
  }

  async function keepForTheShop(worker) {
    const weeks = Array.from(document.querySelectorAll("a[data-offline]"), (a) => a.getAttribute("href"));
    if (!weeks.length) return;
    const recipes = [];
    for (const week of weeks) {
      try {
        recipes.push(...await links(week));
      } catch (error) {
        // no signal: keep what can be kept
      }
    }
    const urls = [location.href, ...weeks, ...new Set(recipes)];
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "kept" && event.data.done) {
        document.querySelectorAll("[data-offline-ready]").forEach((note) => { note.hidden = false; });
      }
    });
    worker.postMessage({ type: "keep", urls });
  }

  window.addEventListener("load", async () => {
    try {
      await navigator.serviceWorker.register(script.dataset.worker, { scope: "/" });
      const ready = await navigator.serviceWorker.ready;
      if (account && ready.active) await keepForTheShop(ready.active);
    } catch (error) {
      // Without the worker the site works as before, online only.
    }
  });
})();
