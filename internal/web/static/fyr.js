// Fyr: a little progressive enhancement. Every page works without this file.
(function () {
  "use strict";
  var body = document.body;

  // Show only the decision or task fields that fit the chosen kind.
  var kind = document.getElementById("r-kind");
  function showKindFields() {
    document.querySelectorAll(".kind-extra").forEach(function (fs) {
      fs.hidden = fs.getAttribute("data-kind") !== kind.value;
    });
  }
  if (kind) { kind.addEventListener("change", showKindFields); showKindFields(); }

  // Print buttons (the browser's own print works without this file).
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  // The unit page is kept for reading offline by the service worker; the
  // copy is dropped at logout and at login, so the next person on a shared
  // phone does not read it.
  if ("serviceWorker" in navigator && window.caches) {
    if (document.querySelector("[data-copy]")) navigator.serviceWorker.register("/sw.js");
    document.querySelectorAll("form[action='/logout'], form[action='/login']").forEach(function (f) {
      f.addEventListener("submit", function () { caches.delete("fyr-unit-v1"); });
    });
  }

  // Live updates over Server-Sent Events. The browser resends the last event
  // id on reconnect, and the server replays what was missed.
  if (!body.dataset.live || !window.EventSource) return;
  var incident = body.dataset.incident || "";
  var url = "/live?since=" + encodeURIComponent(body.dataset.seq || "0");
  if (incident) url += "&incident=" + encodeURIComponent(incident);
  var es = new EventSource(url);
  // The live marker says so in words, not only in colour, when the link drops.
  var state = document.getElementById("live-state");
  var onText = state ? (state.dataset.say || state.textContent) : "";
  function live(on) {
    if (!state) return;
    state.hidden = false; // a marker sent hidden says "live" only once it is
    state.classList.toggle("off", !on);
    state.textContent = on ? onText : (state.dataset.off || onText);
  }
  var dropped = false;
  es.onopen = function () {
    live(true);
    // A coverage board has no replay of its rows: after a dropped
    // connection, load it whole again.
    if (dropped && document.querySelector("table.board")) location.reload();
  };
  es.onerror = function () { dropped = true; live(false); };

  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content.firstElementChild;
  }

  // The first page of the journal, unfiltered: what new entries join
  // (saved= only confirms the last submission).
  function firstPage() {
    var params = new URLSearchParams(location.search);
    params.delete("saved");
    return params.toString() === "";
  }

  es.addEventListener("entry", function (ev) {
    var d = JSON.parse(ev.data);
    body.dataset.lastEntry = d.id; // what the page has heard, shown or not
    if (document.getElementById("tasks")) refreshTasks();
    var list = document.getElementById("journal-list");
    if (!list) return;
    if (!firstPage()) return; // a filtered, older or historical page stays as it is
    var li = fragment(d.html);
    li.classList.add("fresh");
    var old = document.getElementById("e-" + d.id);
    if (old) { // shown already: replace it (it may now show a correction)
      old.replaceWith(li);
      return;
    }
    list.insertBefore(li, list.firstChild);
    var empty = document.getElementById("journal-empty");
    if (empty) empty.remove();
  });

  // The coverage board: the summary and the row of the unit that changed.
  es.addEventListener("coverage", function (ev) {
    var d = JSON.parse(ev.data);
    document.querySelectorAll("[data-coverage='" + d.dispatch + "']").forEach(function (el) {
      el.textContent = d.figure; // "Kvitterat 1 av 299" in lists
    });
    var summary = document.getElementById("coverage-" + d.dispatch);
    if (!summary) return;
    summary.replaceWith(fragment(d.summary));
    if (!d.row) return;
    var row = document.getElementById("u-" + d.unit);
    var fresh = fragment("<table><tbody>" + d.row + "</tbody></table>").querySelector("tr");
    if (row && fresh) row.replaceWith(fresh);
    if (fresh && fresh.classList.contains("acked")) {
      // Acknowledged units go below the ones still to chase, and out of
      // the phone-receipt form's choice, as a reload would show them.
      fresh.parentNode.appendChild(fresh);
      var opt = document.querySelector("#a-unit option[value='" + d.unit + "']");
      if (opt) opt.remove();
    }
  });

  // A unit's inbox: a new dispatch to the unit appears at the top.
  es.addEventListener("inbox", function (ev) {
    var d = JSON.parse(ev.data);
    var list = document.getElementById("inbox");
    if (!list || document.getElementById("i-" + d.dispatch)) return;
    var li = fragment(d.html);
    li.classList.add("fresh");
    list.insertBefore(li, list.firstChild);
    var empty = document.getElementById("inbox-empty");
    if (empty) empty.remove();
  });

  // The situation picture: a report filed, a round or a picture changed.
  // The parts of the page marked data-live="situation" are fetched again
  // whole; changes that arrive meanwhile cause one more fetch, not one each.
  var busy = false, again = false;
  function refreshSituation() {
    var parts = document.querySelectorAll("[data-live='situation'][id]");
    var params = new URLSearchParams(location.search);
    if (!parts.length || params.has("at") || params.has("known_at")) return; // a view of the past stays as it is
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        parts.forEach(function (el) {
          var fresh = doc.getElementById(el.id);
          if (fresh) el.innerHTML = fresh.innerHTML;
        });
      }
    }).catch(function () {}).then(function () {
      busy = false;
      if (again) { again = false; refreshSituation(); }
    });
  }
  es.addEventListener("situation", refreshSituation);

  // The task board: fetched again whole when the journal changes, and the
  // time of the update announced.
  var tasksBusy = false, tasksAgain = false;
  function refreshTasks() {
    if (tasksBusy) { tasksAgain = true; return; }
    tasksBusy = true;
    fetch(location.href, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      ["tasks", "tasks-status"].forEach(function (id) {
        var el = document.getElementById(id), fresh = doc.getElementById(id);
        if (el && fresh) el.innerHTML = fresh.innerHTML;
      });
    }).catch(function () {}).then(function () {
      tasksBusy = false;
      if (tasksAgain) { tasksAgain = false; refreshTasks(); }
    });
  }

  es.addEventListener("levels", function (ev) {
    var d = JSON.parse(ev.data);
    document.getElementById("banner").innerHTML = d.banner;
    if (d.incident === incident && firstPage()) {
      var box = document.getElementById("levels-box");
      if (box) box.innerHTML = d.levels;
      if (d.closed && !document.getElementById("closed-note")) location.reload();
    }
  });
})();
