// Fyr's service worker keeps the last copy of the unit page (and its backup
// routine binder, once opened) for reading when
// Fyr cannot be reached. Network first: the copy is used only when the
// network fails, and it is then marked as a copy (the page shows the time
// it was fetched), so a stale picture is never mistaken for a current one.
"use strict";
var CACHE = "fyr-unit-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (ev) { ev.waitUntil(self.clients.claim()); });

// key is the cached page a request stands for: the unit page (per unit for
// the staff), or a static asset it needs.
function key(url, req) {
  if (url.pathname.indexOf("/static/") === 0) return url.pathname;
  // The unit page and its backup routine binder (steps and where the paper
  // copy is, no live state): what a ward reads when Fyr cannot be reached.
  if ((url.pathname === "/unit" || url.pathname === "/unit/routines/binder") && req.mode === "navigate") {
    var unit = url.searchParams.get("unit");
    return unit ? url.pathname + "?unit=" + encodeURIComponent(unit) : url.pathname;
  }
  return "";
}

self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  var url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  var k = key(url, req);
  if (!k) return;
  ev.respondWith(fetch(req).then(function (res) {
    if (res.ok && !res.redirected) {
      var copy = res.clone();
      ev.waitUntil(caches.open(CACHE).then(function (c) { return c.put(k, copy); }));
    }
    return res;
  }).catch(function () {
    return caches.open(CACHE).then(function (c) { return c.match(k); }).then(function (hit) {
      if (!hit) return Response.error();
      if (k.indexOf("/static/") === 0) return hit;
      return hit.text().then(function (html) {
        return new Response(html.replace('data-copy="live"', 'data-copy="offline"'),
          { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
      });
    });
  }));
});
