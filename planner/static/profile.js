/* The household form: "Add a member" copies a blank member row (without a script the form
   shows two blank rows instead), and the pregnancy and breastfeeding questions show only for
   members who could be (female, 12 to 60). The server checks everything either way. */
(function () {
  "use strict";
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
      field(row, "name").focus();
      refresh();
    });
  }
}());
