// Live coverage: ask for new entries every 15 s and offer «Нові оновлення: N»; a click shows
// them at the top of the list. Nothing moves under the reader until they ask.
(function () {
  "use strict";
  var block = document.querySelector("[data-live-endpoint]");
  if (!block || block.dataset.liveState !== "live" || !window.fetch) return;
  var INTERVAL = 15000;
  var list = block.querySelector(".live__entries");
  var bar = block.querySelector(".live__news");
  var button = bar.querySelector("button");
  var status = block.querySelector(".live__status");
  var after = Number(block.dataset.liveAfter) || 0;
  var pending = [];
  var timer = null;

  function show() {
    var text = block.dataset.liveLabel + " " + pending.length;
    button.textContent = text;
    status.textContent = text;
    bar.hidden = pending.length === 0;
  }

  function entry(item) {
    var li = document.createElement("li");
    li.className = "live-entry" + (item.important ? " live-entry--important" : "");
    li.id = item.url.split("#")[1] || "";
    li.dataset.entryId = item.id;
    var meta = document.createElement("p");
    meta.className = "live-entry__meta";
    var time = document.createElement("a");
    time.className = "live-entry__time";
    time.href = "#" + li.id;
    time.textContent = item.time;
    meta.appendChild(time);
    if (item.important) {
      var flag = document.createElement("strong");
      flag.className = "live-entry__flag";
      flag.textContent = block.dataset.liveImportant;
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(flag);
    }
    var text = document.createElement("div");
    text.className = "live-entry__text";
    text.innerHTML = item.text; // sanitised on the server, as article bodies are
    var share = document.createElement("p");
    share.className = "live-entry__share";
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = block.dataset.liveShare;
    share.appendChild(link);
    li.append(meta, text, share);
    return li;
  }

  function reveal() {
    var shown = null;
    var firstPlain = list.querySelector(".live-entry:not(.live-entry--important)");
    // pending is newest first: insert oldest first, each on top of its group
    pending.slice().reverse().forEach(function (item) {
      if (document.getElementById(item.url.split("#")[1])) return;
      var node = entry(item);
      shown = node;
      if (item.important) {
        list.insertBefore(node, list.firstChild);
      } else {
        list.insertBefore(node, firstPlain);
        firstPlain = node;
      }
    });
    var empty = block.querySelector(".live__empty");
    if (empty) empty.remove();
    pending = [];
    show();
    // The reader asked: take them to the newest entry they were offered.
    if (shown) shown.scrollIntoView({ block: "start" });
  }

  function poll() {
    if (document.hidden) return;
    fetch(block.dataset.liveEndpoint + "?after=" + after, {
      cache: "no-cache",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        var known = {};
        pending.forEach(function (item) { known[item.id] = true; });
        var fresh = data.items.filter(function (item) { return !known[item.id]; });
        pending = fresh.concat(pending);
        fresh.forEach(function (item) { after = Math.max(after, item.id); });
        show();
        if (data.state !== "live") window.clearInterval(timer);
      })
      .catch(function () {}); // offline for a moment: the next round asks again
  }

  button.addEventListener("click", reveal);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) poll();
  });
  timer = window.setInterval(poll, INTERVAL);
})();
