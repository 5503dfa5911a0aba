// A form shown again with errors: focus moves to its first invalid field (or, for a refusal
// that names no field, to the message), so a keyboard or screen-reader user lands on what to fix.
(function () {
  "use strict";
  function focusFirstError() {
    // A selector list matches in document order: the fields are asked first, the message after.
    var target = document.querySelector(
      "input[aria-invalid='true'], select[aria-invalid='true'], textarea[aria-invalid='true'], " +
      "fieldset[aria-invalid='true'] input"
    ) || document.querySelector(".form-errors");
    if (!target) {
      return;
    }
    var details = target.closest("details");
    if (details) {
      details.open = true;
    }
    target.focus();
    if (target.scrollIntoView) {
      target.scrollIntoView({ block: "center" });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
