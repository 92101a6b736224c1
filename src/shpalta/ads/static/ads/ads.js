// Ad slots: each slot on the page carries its eligible creatives as <template>s (decided on
// the server, so the page stays cacheable); this script picks one per view by weight among
// those whose schedule covers now, puts it into the slot's box (whose size is reserved by
// CSS, so nothing moves), and sends one impression beacon once at least half of the box has
// been visible for a second. No cookie is read or set.
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = (script && script.getAttribute("data-endpoint")) || "/api/ads/impressions";
  var now = Date.now() / 1000;

  function pick(slot) {
    var found = [], total = 0;
    var templates = slot.querySelectorAll("template[data-creative]");
    for (var i = 0; i < templates.length; i++) {
      var t = templates[i];
      var from = parseFloat(t.getAttribute("data-from")) || 0;
      var to = parseFloat(t.getAttribute("data-to")) || Infinity;
      var weight = parseInt(t.getAttribute("data-weight"), 10) || 1;
      if (now >= from && now < to) {
        found.push([t, weight]);
        total += weight;
      }
    }
    var roll = Math.random() * total;
    for (var j = 0; j < found.length; j++) {
      roll -= found[j][1];
      if (roll < 0) return found[j][0];
    }
    return found.length ? found[found.length - 1][0] : null;
  }

  function send(id) {
    var body = JSON.stringify({ creative: id });
    try {
      if (navigator.sendBeacon &&
          navigator.sendBeacon(endpoint, new Blob([body], { type: "application/json" }))) {
        return;
      }
    } catch (e) { /* fall through to fetch */ }
    if (window.fetch) {
      fetch(endpoint, {
        method: "POST", body: body, credentials: "omit", keepalive: true,
        headers: { "Content-Type": "application/json" }
      }).catch(function () {});
    }
  }

  // Half the box in view for one second while the page is visible: one impression per slot.
  function watch(box, id) {
    if (!("IntersectionObserver" in window)) return;
    var timer = null, inView = false, done = false, observer;
    function stop() { if (timer) { clearTimeout(timer); timer = null; } }
    function start() {
      if (done || timer || !inView || document.visibilityState !== "visible") return;
      timer = setTimeout(function () {
        done = true;
        observer.disconnect();
        document.removeEventListener("visibilitychange", changed);
        send(id);
      }, 1000);
    }
    function changed() { if (document.visibilityState === "visible") start(); else stop(); }
    observer = new IntersectionObserver(function (entries) {
      var entry = entries[entries.length - 1];
      inView = entry.isIntersecting && entry.intersectionRatio >= 0.5;
      if (inView) start(); else stop();
    }, { threshold: [0, 0.5, 1] });
    observer.observe(box);
    document.addEventListener("visibilitychange", changed);
  }

  var slots = document.querySelectorAll("[data-ad-slot]");
  for (var i = 0; i < slots.length; i++) {
    var slot = slots[i];
    var box = slot.querySelector(".ad-slot__box");
    var chosen = box && pick(slot);
    if (!chosen) {
      // Nothing runs now: collapse only a slot wholly below the screen (nothing seen moves).
      if (slot.getBoundingClientRect().top > window.innerHeight) slot.hidden = true;
      continue;
    }
    var id = parseInt(chosen.getAttribute("data-creative"), 10);
    box.appendChild(document.importNode(chosen.content, true));
    slot.setAttribute("data-shown", String(id));
    watch(box, id);
  }
})();
