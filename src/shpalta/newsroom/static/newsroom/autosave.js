// Autosave: while the article form is open, its text goes to the server every 30 seconds when
// it changed, and once more when the page is left (a closed tab, a navigation). The server
// keeps it apart from the story, so nothing public changes until the editor saves.
(function () {
  "use strict";
  const form = document.querySelector("form#article_form");
  const config = document.getElementById("newsroom-autosave");
  if (!form || !config) return;
  const fields = ["title", "lead", "body", "excerpt"];
  let dirty = false;
  let submitting = false;

  function payload() {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    for (const name of fields) {
      const field = form.elements.namedItem(name);
      if (field) body.append(name, field.value);
    }
    return body;
  }

  async function save() {
    if (!dirty || submitting) return;
    dirty = false;
    try {
      const response = await fetch(config.dataset.url, {
        method: "POST", body: payload(), credentials: "same-origin",
      });
      if (!response.ok) dirty = true;
    } catch (error) {
      dirty = true; // offline for a moment: the next round tries again
    }
  }

  function saveOnLeaving() {
    if (dirty && !submitting) {
      navigator.sendBeacon(config.dataset.url, payload());
      dirty = false;
    }
  }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { submitting = true; });
  setInterval(save, Number(config.dataset.interval) * 1000);
  window.addEventListener("pagehide", saveOnLeaving);
  window.addEventListener("beforeunload", saveOnLeaving);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") saveOnLeaving();
  });
})();
