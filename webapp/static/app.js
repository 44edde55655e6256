/* Beleidsbank — small progressive enhancements. Every page works without this script.
   1. "/" moves focus to the search box (unless you are typing in a field). A single-key shortcut
      can be switched off in the footer (WCAG 2.1.4); the choice is kept in localStorage.
   2. "Kopieer citaat" buttons copy a citation to the clipboard (the textarea stays usable without it). */
(function () {
  "use strict";

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  var STORAGE_KEY = "beleidsbank.sneltoets";

  function shortcutOn() {
    try {
      return window.localStorage.getItem(STORAGE_KEY) !== "uit";
    } catch (e) {
      return true;
    }
  }

  var tip = document.querySelector("[data-shortcut-tip]");
  var toggle = document.querySelector("[data-shortcut-toggle]");
  function showToggle() {
    if (!toggle) return;
    var on = shortcutOn();
    toggle.textContent = on ? "Sneltoets uitzetten" : "Sneltoets aanzetten";
  }
  if (tip && toggle) {
    tip.hidden = false;
    showToggle();
    toggle.addEventListener("click", function () {
      try {
        if (shortcutOn()) window.localStorage.setItem(STORAGE_KEY, "uit");
        else window.localStorage.removeItem(STORAGE_KEY);
      } catch (e) { /* storage unavailable: the shortcut stays as it is */ }
      showToggle();
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!shortcutOn()) return;
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
