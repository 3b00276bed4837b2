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

  // The unit page: a sound on a new dispatch only when the user turned it
  // on (kept in this browser; off by default), and the Kvittera button
  // acknowledges in place: the page does not move, and the receipt shows
  // where the dispatch was ("Kvitterat 04:12 av Amir").
  var unitLive = document.getElementById("unit-live");
  var news = document.getElementById("unit-news");
  var soundBox = document.querySelector("[data-sound]");
  var audio = null;
  function soundOn() {
    try { return localStorage.getItem("fyr-sound") === "on"; } catch (e) { return false; }
  }
  function beep() {
    var AC = window.AudioContext || window.webkitAudioContext;
    window.fyrSounds = (window.fyrSounds || 0) + 1;
    if (!AC) return;
    try {
      if (!audio) audio = new AC();
      if (audio.state === "suspended") audio.resume();
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = 880;
      g.gain.value = 0.25;
      o.connect(g);
      g.connect(audio.destination);
      o.start();
      o.stop(audio.currentTime + 0.5);
    } catch (e) { /* no sound, the marker and the announcement remain */ }
  }
  if (soundBox) {
    var soundCheck = soundBox.querySelector("input");
    soundBox.hidden = false;
    soundCheck.checked = soundOn();
    soundCheck.addEventListener("change", function () {
      try { localStorage.setItem("fyr-sound", soundCheck.checked ? "on" : "off"); } catch (e) {}
      if (soundCheck.checked) beep(); // the user hears what it sounds like
    });
  }
  // announce reads text out; shown, it also appears over the top of the
  // screen until tapped (a receipt is confirmed in place: it is only read out).
  function announce(text, shown) {
    if (!news) return;
    news.classList.toggle("show", !!shown);
    news.textContent = text.replace(/\s+/g, " ").trim();
  }
  if (news) news.addEventListener("click", function () {
    var to = news.dataset.target && document.getElementById(news.dataset.target);
    if (to) to.scrollIntoView({ block: "start" });
    news.textContent = "";
    news.dataset.target = "";
  });
  // Replace the unit page's live part with the one in html, keeping the
  // answers chosen and the element keep at the same place on the screen.
  function swapUnit(html, keep) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("unit-live");
    if (!fresh || !unitLive) return false;
    var el = keep && document.getElementById(keep);
    var top = el ? el.getBoundingClientRect().top : 0;
    var checked = Array.prototype.map.call(unitLive.querySelectorAll("input:checked"), function (i) { return i.id; });
    unitLive.innerHTML = fresh.innerHTML;
    checked.forEach(function (id) { var i = id && document.getElementById(id); if (i) i.checked = true; });
    markNew();
    el = keep && document.getElementById(keep);
    if (el) window.scrollBy(0, el.getBoundingClientRect().top - top);
    return true;
  }
  var newIDs = {}, ackedIDs = [];
  function markNew() {
    Object.keys(newIDs).forEach(function (id) {
      var li = document.getElementById("d-" + id);
      var mark = li && li.querySelector(".new-mark");
      if (mark) mark.hidden = false;
    });
  }
  if (unitLive && window.fetch && window.DOMParser) {
    document.addEventListener("submit", function (ev) {
      var f = ev.target;
      if (!f.classList || !f.classList.contains("unit-ack")) return;
      ev.preventDefault();
      var li = f.closest("li");
      var button = f.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      // From now on the page, fetched again for any reason, shows the receipt in place.
      if (li && li.dataset.dispatch) ackedIDs.push(li.dataset.dispatch);
      fetch(f.action, { method: "POST", body: new URLSearchParams(new FormData(f)), credentials: "same-origin" }).then(function (r) {
        return r.text();
      }).then(function (html) {
        if (!swapUnit(html, li && li.id)) { location.reload(); return; }
        var now = li && document.getElementById(li.id);
        var said = now && now.querySelector(".done, .error");
        if (said) {
          said.setAttribute("tabindex", "-1");
          said.focus({ preventScroll: true });
          announce(said.textContent, said.classList.contains("error"));
        }
      }).catch(function () {
        // Fyr could not be reached: say so, and let the user try again.
        if (button) button.disabled = false;
        ackedIDs = ackedIDs.filter(function (id) { return !li || id !== li.dataset.dispatch; });
        announce((news && news.dataset.offline) || "", true);
      });
    });
  }

  // Live updates over Server-Sent Events. The browser resends the last event
  // id on reconnect, and the server replays what was missed.
  if (!body.dataset.live || !window.EventSource) return;
  var incident = body.dataset.incident || "";
  var url = "/live?since=" + encodeURIComponent(body.dataset.seq || "0");
  if (incident) url += "&incident=" + encodeURIComponent(incident);
  if (unitLive && unitLive.dataset.unit) url += "&unit=" + encodeURIComponent(unitLive.dataset.unit);
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
    // The unit page has no replay of what it missed: fetch it again.
    if (dropped && unitLive) refreshSituation();
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

  // A unit's inbox: a new dispatch to the unit appears at the top. On the
  // unit page it appears in its place, marked, announced and (when the
  // user turned it on) with a sound.
  es.addEventListener("inbox", function (ev) {
    var d = JSON.parse(ev.data);
    if (unitLive) {
      newIDs[d.dispatch] = true;
      refreshSituation(function () {
        var li = document.getElementById("d-" + d.dispatch);
        var mark = li && li.querySelector(".new-mark");
        if (li) li.classList.add("fresh");
        announce((mark ? mark.textContent : (news && news.dataset.new) || "") + ": " + d.title, true);
        if (news && li) news.dataset.target = li.id;
        if (soundOn()) beep();
      });
      return;
    }
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
  var busy = false, again = false, after = [];
  function refreshSituation(then) {
    if (typeof then === "function") after.push(then);
    var parts = document.querySelectorAll("[data-live='situation'][id]");
    var params = new URLSearchParams(location.search);
    if (!parts.length || params.has("at") || params.has("known_at")) return; // a view of the past stays as it is
    if (busy) { again = true; return; }
    busy = true;
    var url = location.href;
    if (unitLive) { // the receipts given on this page stay where they were
      var q = new URLSearchParams(location.search);
      ackedIDs.forEach(function (id) { q.append("acked", id); });
      url = location.pathname + "?" + q.toString();
    }
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html && unitLive) {
        swapUnit(html, "");
      } else if (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        parts.forEach(function (el) {
          var fresh = doc.getElementById(el.id);
          if (fresh) el.innerHTML = fresh.innerHTML;
        });
      }
    }).catch(function () {}).then(function () {
      busy = false;
      if (again) { again = false; refreshSituation(); return; }
      var run = after;
      after = [];
      run.forEach(function (f) { f(); });
    });
  }
  es.addEventListener("situation", function () { refreshSituation(); });
  es.addEventListener("unit", function () { refreshSituation(); });

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
