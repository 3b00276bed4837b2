// Fyr: the dispatch form's unit search and the quick picks of a deadline,
// without reloads. The forms work without this file: the search and the
// quick picks are then submit buttons the server answers.
(function () {
  "use strict";
  // Filter the unit tree as the user types: a unit shows when its name or
  // the name of a unit below it matches. Hidden units stay ticked.
  var q = document.getElementById("d-q");
  var tree = document.getElementById("d-tree");
  var none = document.getElementById("d-q-none");
  function walk(li, needle) {
    var label = li.querySelector(":scope > span label");
    var hit = !needle || label.textContent.toLowerCase().indexOf(needle) >= 0;
    var below = false;
    li.querySelectorAll(":scope > ul > li").forEach(function (c) {
      if (walk(c, needle)) below = true;
    });
    li.hidden = !hit && !below;
    return hit || below;
  }
  function filter() {
    var needle = q.value.trim().toLowerCase();
    var any = false;
    tree.querySelectorAll(":scope > ul > li").forEach(function (li) {
      if (walk(li, needle)) any = true;
    });
    none.hidden = any;
  }
  if (q && tree && none) {
    q.addEventListener("input", filter);
    q.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); filter(); }
    });
  }

  // The decision's fields show only while a decision is chosen.
  var extra = document.querySelector(".kind-decision");
  var kinds = document.querySelectorAll("input[name=kind]");
  function showKind() {
    var dec = document.getElementById("d-kind-dec");
    extra.hidden = !(dec && dec.checked);
  }
  if (extra && kinds.length) {
    kinds.forEach(function (k) { k.addEventListener("change", showKind); });
    showKind();
  }

  // Quick picks fill in the deadline from the server's clock (Stockholm
  // time, whatever the browser's zone), moved on by the time since load.
  document.querySelectorAll(".quick[data-now]").forEach(function (quick) {
    var field = document.getElementById(quick.dataset.for);
    if (!field) return;
    var base = Date.parse(quick.dataset.now + "Z") - performance.now();
    quick.querySelectorAll("button[data-minutes]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function (e) {
        e.preventDefault();
        var t = new Date(base + performance.now() + Number(b.dataset.minutes) * 60000);
        field.value = t.toISOString().slice(0, 16);
      });
    });
  });
})();
