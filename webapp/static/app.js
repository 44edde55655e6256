/* Beleidsbank — small progressive enhancements. Every page works without this script.
   1. "/" moves focus to the search box (unless you are typing in a field).
   2. "Kopieer citaat" buttons copy a citation to the clipboard (the textarea stays usable without it). */
(function () {
  "use strict";

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(document.activeElement)) return;
    var box = document.querySelector("input[data-search]");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  function fallbackCopy(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function report(status, ok) {
    if (!status) return;
    status.textContent = ok
      ? "Het citaat is gekopieerd."
      : "Kopiëren lukte niet. Selecteer de tekst en kopieer die met Ctrl+C (of Cmd+C).";
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = field.value;
      if (status) status.textContent = "";
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { report(status, true); },
          function () { report(status, fallbackCopy(field)); }
        );
      } else {
        report(status, fallbackCopy(field));
      }
    });
  });
})();
