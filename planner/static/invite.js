/* The invitation link: "Copy link" puts it on the clipboard, and "Share" hands it to the device's
   share sheet where the browser has one. Both buttons show only when this script runs; without it
   the link stays in its read-only field, ready to select and copy by hand. What happened is said in
   the page's status line, which screen readers read out. */
(function () {
  "use strict";

  function say(status, text) {
    status.textContent = "";  // emptied first, so saying the same words again is read out again
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function selectAll(field) {
    field.focus();
    field.setSelectionRange(0, field.value.length);
  }

  function copy(field, status) {
    function byHand() {
      selectAll(field);
      say(status, "The link is selected: copy it with Ctrl+C, or your phone's Copy.");
    }
    if (!navigator.clipboard || !navigator.clipboard.writeText) { byHand(); return; }
    navigator.clipboard.writeText(field.value).then(function () {
      say(status, "Copied: paste the link into a message or an email.");
    }, byHand);
  }

  function share(button, field, status) {
    navigator.share({ title: button.dataset.shareTitle, text: button.dataset.shareText, url: field.value })
      .then(function () { say(status, "Shared."); }, function (error) {
        if (error && error.name === "AbortError") { return; }  // the share sheet was closed
        say(status, "Sharing did not work here: copy the link instead.");
      });
  }

  function canShare(url) {
    return typeof navigator.share === "function" && (!navigator.canShare || navigator.canShare({ url: url }));
  }

  function wire(button, action) {
    var field = document.getElementById(button.dataset.copy || button.dataset.share);
    var status = document.getElementById(button.dataset.status);
    if (!field || !status) { return; }
    if (button.dataset.share && !canShare(field.value)) { return; }  // stays hidden
    button.hidden = false;
    button.addEventListener("click", function () { action(button, field, status); });
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    wire(button, function (_, field, status) { copy(field, status); });
    var field = document.getElementById(button.dataset.copy);
    if (field) { field.addEventListener("focus", function () { selectAll(field); }); }  // one tap takes it all
  });
  document.querySelectorAll("[data-share]").forEach(function (button) {
    wire(button, share);
  });
}());
