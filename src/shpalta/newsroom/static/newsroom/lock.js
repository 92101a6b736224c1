// The article form's edit lock: a heartbeat while the form is open, the lock released when
// the page is left, and a notice when another editor has taken the story over.
(function () {
  "use strict";
  const form = document.querySelector("form#article_form");
  const config = document.getElementById("newsroom-lock");
  if (!form || !config || config.dataset.holder !== "self") return;
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const every = Number(config.dataset.heartbeat) * 1000;

  function post(url) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    return fetch(url, { method: "POST", body: body, credentials: "same-origin" });
  }

  function takenOver(data) {
    const notice = document.getElementById("newsroom-lock-lost");
    notice.textContent = notice.dataset.template
      .replace("{name}", data.holder)
      .replace("{since}", data.since);
    notice.hidden = false;
    clearInterval(timer);
  }

  async function beat() {
    try {
      const response = await post(config.dataset.beat);
      const data = await response.json();
      if (!data.held) takenOver(data);
    } catch (error) {
      // offline for a moment: the next heartbeat tries again
    }
  }

  const timer = setInterval(beat, every);
  window.addEventListener("pagehide", function () {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    navigator.sendBeacon(config.dataset.release, body);
  });
})();
