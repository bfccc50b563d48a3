/* The household form: "Add a member" copies a blank member row (without a script the form
   shows two blank rows instead), the pregnancy and breastfeeding questions show only for
   members who could be (female, 12 to 60), and under "Foods to leave out" and each member's
   "Won't eat" a preview says what each word is understood as ("mushrooms → All mushrooms …").
   The server checks everything either way. */
(function () {
  "use strict";

  /* -- what the words mean, as they are typed (GET /api/v1/words) -- */
  var WAIT = 300;  // ms after the last key press
  var SHOWN = 8;   // food names listed for a word before "and N more"

  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text) { el.textContent = text; }
    if (className) { el.className = className; }
    return el;
  }

  function either(words) {
    var quoted = words.map(function (w) { return "\u201c" + w + "\u201d"; });
    return quoted.length < 2 ? quoted.join("") :
      quoted.slice(0, -1).join(", ") + " or " + quoted[quoted.length - 1];
  }

  function saidAs(meaning) {  // the words after the arrow
    if (meaning.kind === "unknown") {
      return meaning.suggestions && meaning.suggestions.length ?
        "not known \u2014 did you mean " + either(meaning.suggestions) + "?" :
        "not known \u2014 try a food, a kind of food (fish, nuts) or a tag";
    }
    var names = (meaning.foods || []).map(function (food) { return food.name; });
    if (meaning.kind === "food" || !names.length) { return meaning.label; }
    var listed = names.slice(0, SHOWN).join("; ");  // food names can hold commas ("Cod fillet, raw")
    var more = names.length - SHOWN;
    return meaning.label + ": " + listed + (more > 0 ? "; and " + more + " more" : "");
  }

  function render(box, meanings) {
    box.textContent = "";
    if (!meanings.length) { return; }
    var items = element("ul", "", "plain meta");
    meanings.forEach(function (meaning) {
      var item = element("li", "", meaning.kind === "unknown" ? "unknown" : "known");
      item.appendChild(element("strong", meaning.word));
      item.appendChild(element("span", " \u2192 ")).setAttribute("aria-hidden", "true");
      item.appendChild(element("span", ": ", "visually-hidden"));
      item.appendChild(document.createTextNode(saidAs(meaning)));
      items.appendChild(item);
    });
    box.appendChild(items);
  }

  function watchWords(input) {
    var box = document.getElementById(input.getAttribute("data-words") || "");
    if (!box || input.hasAttribute("data-words-watched")) { return; }
    input.setAttribute("data-words-watched", "");
    box.style.overflowWrap = "anywhere";  // a long word wraps on a phone instead of widening the page
    var timer = null;
    var asked = 0;     // answers to older questions are dropped
    var text = null;   // the text last asked about
    var said = "";     // what the preview shows, so the same words are not announced again

    function show(meanings) {
      var now = JSON.stringify(meanings);
      if (now === said) { return; }
      said = now;
      render(box, meanings);
    }

    function ask() {
      var typed = input.value;
      if (typed === text) { return; }
      text = typed;
      var mine = ++asked;
      if (!/[^,\s]/.test(typed)) { show([]); return; }
      fetch("/api/v1/words?q=" + encodeURIComponent(typed), {credentials: "same-origin"})
        .then(function (answer) {
          if (answer.status !== 200) { throw new Error("not read"); }
          return answer.json();
        })
        .then(function (data) {
          if (mine === asked) { show(Array.isArray(data && data.meanings) ? data.meanings : []); }
        })
        .catch(function () {  // the server checks the words on save anyway
          if (mine === asked) { text = null; show([]); }
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT);
    });
    if (/[^,\s]/.test(input.value)) { ask(); }
  }

  function watchAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("input[data-words]"), watchWords);
  }

  if (window.fetch) { watchAll(document); }

  /* -- members -- */
  var list = document.getElementById("members");
  var template = document.getElementById("member-template");
  var add = document.getElementById("add-member");
  if (!list) { return; }
  var most = parseInt(list.getAttribute("data-max"), 10) || 12;

  function rows() { return list.querySelectorAll("fieldset.member"); }

  function field(row, name) { return row.querySelector("[name$='-" + name + "']"); }

  function couldBe(row) {
    var sex = field(row, "sex");
    var age = parseFloat((field(row, "age") || {}).value);
    return !!sex && sex.value === "female" && age >= 12 && age <= 60;
  }

  function answered(stage) {  // a value given there stays in sight, so it is never sent unseen
    var filled = false;
    stage.querySelectorAll("select, input").forEach(function (el) { if (el.value) { filled = true; } });
    return filled || !!stage.querySelector(".error");
  }

  function update(row) {
    var stage = row.querySelector("[data-stage]");
    if (stage) { stage.hidden = !(couldBe(row) || answered(stage)); }
  }

  function wire(row) {
    row.addEventListener("input", function () { update(row); });
    row.addEventListener("change", function () { update(row); });
    update(row);
  }

  function nextIndex() {
    var next = 0;
    rows().forEach(function (row) {
      var name = field(row, "name");
      var found = name && /^members-(\d+)-/.exec(name.name);
      if (found) { next = Math.max(next, parseInt(found[1], 10) + 1); }
    });
    return next;
  }

  function refresh() { if (add) { add.disabled = rows().length >= most; } }

  rows().forEach(wire);
  if (add && template) {
    add.hidden = false;
    refresh();
    add.addEventListener("click", function () {
      if (rows().length >= most) { return; }
      var html = template.innerHTML.split("__index__").join(String(nextIndex()))
        .split("__number__").join(String(rows().length + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.querySelector("fieldset.member");
      list.appendChild(row);
      wire(row);
      if (window.fetch) { watchAll(row); }
      field(row, "name").focus();
      refresh();
    });
  }
}());
