// Fyr: a form marked data-busy says that it is working once submitted (the
// login's password check takes seconds under load): its button is disabled
// against a second click and says data-busy; a status line says
// data-busy-why. The form posts as it would without this file.
(function () {
  "use strict";
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[data-busy-status]");
    if (!button) return;
    var label = button.textContent;
    form.addEventListener("submit", function () {
      button.disabled = true;
      button.textContent = form.dataset.busy;
      form.setAttribute("aria-busy", "true");
      if (status) status.textContent = form.dataset.busyWhy || form.dataset.busy;
    });
    // Back to a page the browser kept: usable again.
    window.addEventListener("pageshow", function (ev) {
      if (!ev.persisted) return;
      button.disabled = false;
      button.textContent = label;
      form.removeAttribute("aria-busy");
      if (status) status.textContent = "";
    });
  });
})();
