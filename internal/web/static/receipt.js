// The receipt page tells Fyr it was shown to a person: once, when the page
// is visible. Mail security scanners fetch links without showing them, so
// a fetch alone never counts as "opened".
(function () {
  "use strict";
  var form = document.getElementById("receipt-form");
  if (!form || !navigator.sendBeacon) return;
  var url = form.getAttribute("data-opened");
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== "visible") return;
    sent = true;
    navigator.sendBeacon(url);
  }
  document.addEventListener("visibilitychange", send);
  send();
})();
