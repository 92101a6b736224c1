// View beacon: counts this article once the reader actually sees the page. It runs after
// the page has loaded, so it counts even when the HTML came from a cache or CDN. No cookie
// is read or set; the server recognises repeat views by a daily-rotating keyed hash.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var id = parseInt(script.getAttribute("data-article"), 10);
  var endpoint = script.getAttribute("data-endpoint") || "/api/views";
  if (!(id > 0)) return;
  var body = JSON.stringify({ article: id });
  var sent = false;

  function send() {
    if (sent) return;
    sent = true;
    try {
      if (navigator.sendBeacon &&
          navigator.sendBeacon(endpoint, new Blob([body], { type: "application/json" }))) {
        return;
      }
    } catch (e) { /* fall through to fetch */ }
    if (window.fetch) {
      fetch(endpoint, {
        method: "POST",
        body: body,
        headers: { "Content-Type": "application/json" },
        credentials: "omit",
        keepalive: true
      }).catch(function () {});
    }
  }

  // A prerendered or background tab is not a read until the reader looks at it.
  function visible() {
    return document.visibilityState === "visible" && !document.prerendering;
  }

  function whenVisible() {
    if (!visible()) return;
    document.removeEventListener("visibilitychange", whenVisible);
    document.removeEventListener("prerenderingchange", whenVisible);
    send();
  }

  if (visible()) {
    send();
  } else {
    document.addEventListener("visibilitychange", whenVisible);
    document.addEventListener("prerenderingchange", whenVisible);
  }
})();
