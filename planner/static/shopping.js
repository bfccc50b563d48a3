// Shopping pages: ticks that move lines to the basket and are saved even without a signal, a
// "hide ticked" switch, print, and dragging aisles into the shop's order.
// Everything here is an extra: without it the buttons on the page do the same.
//
// Ticks wait on the phone (localStorage) until they are saved. Each item is sent on its own through
// the list's tick form, with the state it should have, so two people ticking one list never undo
// each other; a tick is sent again after a lost connection, when the connection returns and
// whenever a page loads. This file also runs on other pages (pwa.js loads it when ticks wait).
(function () {
  "use strict";

  const QUEUE = "gut-planner:tick-queue";
  const HIDE = "gut-planner:hide-ticked";
  const RETRY_MS = 20000;
  const TIMEOUT_MS = 15000;
  const account = document.documentElement.dataset.account || "";
  const form = document.querySelector("form[data-ticks]");
  const notes = [];
  // Where ticks wait: the phone's storage, or this page alone where the browser refuses storage.
  const storage = (() => {
    try {
      localStorage.setItem(`${QUEUE}:probe`, "1");
      localStorage.removeItem(`${QUEUE}:probe`);
      return localStorage;
    } catch (error) {
      return null;
    }
  })();
  let unstored = [];
  // The page's words (data-words in shopping/list.html); other pages show no list, so they need none.
  const words = (() => {
    const holder = document.querySelector("[data-sync][data-words]");
    try {
      return holder ? JSON.parse(holder.dataset.words) : {};
    } catch (error) {
      return {};
    }
  })();

  function say(name, values = {}) {
    // A sentence with {n}, {name} filled in; a [singular, plural] pair is chosen by values.n.
    let text = words[name] || "";
    if (Array.isArray(text)) text = text[values.n === 1 ? 0 : 1] || "";
    return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  // -- the queue of ticks not saved yet ---------------------------------------------------------

  function waiting() {
    let found = unstored;
    try {
      if (storage) found = JSON.parse(storage.getItem(QUEUE) || "[]");
    } catch (error) {
      found = [];
    }
    return Array.isArray(found) ? found.filter((tick) => tick && tick.account === account) : [];
  }

  function keep(ticks) {
    unstored = ticks;
    if (!storage) return;
    if (ticks.length) storage.setItem(QUEUE, JSON.stringify(ticks));
    else storage.removeItem(QUEUE);
  }

  function queue(tick) {
    // The latest state of an item replaces any earlier one still waiting.
    keep(waiting().filter((t) => !(t.url === tick.url && t.key === tick.key)).concat([tick]));
  }

  function token(tick) {
    const field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : tick.token;
  }

  async function send(tick) {
    const body = new FormData();
    body.append("csrf_token", token(tick));
    body.append("key", tick.key);
    body.append("checked", tick.checked ? "1" : "0");
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), TIMEOUT_MS);
    try {
      return await fetch(tick.url, {
        method: "POST", body, headers: { Accept: "application/json" }, signal: stop.signal,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  let flushing = false;
  let again = false;
  let stuck = false; // the server asked for a log-in: waiting longer cannot help
  let retry = null;

  async function flush() {
    if (flushing) { again = true; return; }
    flushing = true;
    stuck = false;
    try {
      for (const tick of waiting()) {
        let response;
        try {
          response = await send(tick);
        } catch (error) {
          break; // no connection (or too slow): keep it for later
        }
        if (response.status === 404) {
          notes.push(say("dropped", { name: tick.name }));
        } else if (response.redirected || response.status === 400 || response.status === 401) {
          stuck = true;
          break;
        } else if (!response.ok) {
          break; // the server is busy or failing: try again later
        }
        keep(waiting().filter((t) => t.id !== tick.id)); // unless it was changed again meanwhile
      }
    } finally {
      flushing = false;
      show();
      if (again) { again = false; flush(); }
    }
  }

  function later() {
    clearTimeout(retry);
    if (waiting().length && !stuck) retry = setTimeout(flush, RETRY_MS);
  }

  // -- the page: where each line is, the basket, what waits ----------------------------------

  const basket = document.querySelector("[data-basket]");
  let toggle = null;
  let hideTicked = false;

  function show() {
    later();
    const status = document.querySelector("[data-sync]");
    if (!status) return;
    const count = waiting().length;
    status.querySelector("[data-sync-status]").textContent =
      count ? `${say("waiting", { n: count })} ${say(stuck ? "logIn" : "signal")}` : "";
    const list = status.querySelector("[data-sync-notes]");
    list.replaceChildren(...notes.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
    status.hidden = !count && !notes.length;
  }

  function sectionOf(line) {
    return document.querySelector(`[data-section-list="${line.dataset.section}"]`);
  }

  function placeIn(list, line) {
    // In the order of the walk: before the first line that comes after it.
    const sections = Array.from(document.querySelectorAll("[data-section-list]"));
    const rank = (li) => sections.indexOf(sectionOf(li)) * 100000 + Number(li.dataset.position);
    const next = Array.from(list.children).find((li) => rank(li) > rank(line));
    list.insertBefore(line, next || null);
  }

  function tidy() {
    document.querySelectorAll("[data-section-list]").forEach((list) => {
      list.closest("section").hidden = !list.children.length;
    });
    if (basket) {
      basket.closest("section").hidden = hideTicked || !basket.children.length;
      document.querySelector("[data-basket-count]").textContent = basket.children.length;
      const ticked = basket.querySelectorAll("li[data-to-buy]").length;
      const shown = document.querySelector("[data-ticked]");
      if (shown) shown.textContent = ticked ? `, ${say("ticked", { n: ticked })}` : "";
    }
    if (toggle) toggle.setAttribute("aria-pressed", String(hideTicked));
  }

  function move(box) {
    const line = box.closest("li");
    line.classList.toggle("checked", box.checked);
    const target = box.checked ? basket : sectionOf(line);
    if (!target || line.parentElement === target) return;
    const focused = document.activeElement === box;
    const after = line.nextElementSibling || line.previousElementSibling;
    placeIn(target, line);
    if (focused) { // keep a keyboard in the list where it was, not lost at the top of the page
      const nextBox = (after && after.querySelector("input[type=checkbox]")) || box;
      nextBox.focus();
    }
  }

  if (form) {
    // The other buttons of the form then leave the ticks alone.
    const save = form.querySelector("[data-save]");
    const shownField = form.querySelector("input[name=ticks_shown]");
    if (save) save.hidden = true;
    if (shownField) shownField.remove();

    // What waits on this phone is what this page should show.
    for (const tick of waiting()) {
      if (tick.url !== form.action) continue;
      const box = form.querySelector(`input[name=item][value="${CSS.escape(tick.key)}"]`);
      if (box && box.checked !== tick.checked) { box.checked = tick.checked; move(box); }
    }

    form.addEventListener("change", (event) => {
      const box = event.target;
      if (!box.matches("input[name=item]")) return;
      move(box);
      tidy();
      const line = box.closest("li");
      queue({
        id: `${Date.now()}-${Math.random()}`, url: form.action, key: box.value, checked: box.checked, account,
        name: line.querySelector("label strong").textContent.trim(), token: token({}),
      });
      flush();
      setTimeout(show, 1500); // a tick still on its way by then is said to be waiting
    });

    // The link that reloads the page with ticked lines hidden (or shown) becomes a switch.
    const link = document.querySelector("a[data-toggle-ticked]");
    if (link) {
      const asked = new URL(location.href).searchParams.get("ticked");
      hideTicked = asked ? asked === "hide" : Boolean(storage && storage.getItem(HIDE) === "yes");
      toggle = Object.assign(document.createElement("button"), { type: "button", className: "link switch",
        textContent: say("hideTicked") });
      link.replaceWith(toggle);
      toggle.addEventListener("click", () => {
        hideTicked = !hideTicked;
        if (storage) storage.setItem(HIDE, hideTicked ? "yes" : "no");
        tidy();
      });
    }
    tidy();
  }

  window.addEventListener("online", flush);
  show();
  if (waiting().length) flush();

  // -- print, and the aisles' order ---------------------------------------------------------

  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });

  const order = document.querySelector("form[data-aisle-order]");
  if (order) {
    const list = order.querySelector("ol");
    let dragged = null;
    list.querySelectorAll("li").forEach((item) => {
      item.draggable = true;
      item.addEventListener("dragstart", () => { dragged = item; item.classList.add("dragging"); });
      item.addEventListener("dragend", () => { item.classList.remove("dragging"); });
    });
    list.addEventListener("dragover", (event) => {
      event.preventDefault();
      const target = event.target.closest("li");
      if (!dragged || !target || target === dragged) return;
      const box = target.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? target.nextSibling : target);
    });
    list.addEventListener("drop", (event) => {
      event.preventDefault();
      order.querySelector("input[name=order]").value =
        Array.from(list.querySelectorAll("li"), (li) => li.dataset.aisle).join(",");
      order.submit();
    });
  }
})();
