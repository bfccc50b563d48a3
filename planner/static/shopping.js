// Shopping pages: save ticks as they happen, print, and drag aisles into the shop's order.
// Everything here is an extra: without it the buttons on the page do the same.
(function () {
  "use strict";

  const ticks = document.querySelector("form[data-ticks]");
  if (ticks) {
    // Each tick is sent on its own, so two people ticking one list never undo each other;
    // the other buttons then leave the ticks alone.
    const save = ticks.querySelector("[data-save]");
    const shown = ticks.querySelector("input[name=ticks_shown]");
    if (save) save.hidden = true;
    if (shown) shown.remove();
    ticks.addEventListener("change", async (event) => {
      const box = event.target;
      if (!box.matches("input[type=checkbox]")) return;
      box.closest("li").classList.toggle("checked", box.checked);
      const body = new FormData();
      body.append("csrf_token", ticks.querySelector("input[name=csrf_token]").value);
      body.append("key", box.value);
      body.append("checked", box.checked ? "1" : "0");
      try {
        const response = await fetch(ticks.action, {
          method: "POST", body, headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(response.statusText);
        const counts = await response.json();
        const ticked = document.querySelector("[data-ticked]");
        if (ticked) ticked.textContent = counts.ticked ? `, ${counts.ticked} ticked` : "";
      } catch (error) {
        box.checked = !box.checked; // not saved: show the truth and offer the button instead
        box.closest("li").classList.toggle("checked", box.checked);
        if (shown && !shown.isConnected) ticks.prepend(shown);
        if (save) save.hidden = false;
      }
    });
  }

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
