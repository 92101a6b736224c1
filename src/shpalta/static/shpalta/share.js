// Share block helpers. The links work without JavaScript; this only adds
// copy-to-clipboard and the browser's native share sheet where available.
(function () {
  "use strict";
  var status = document.querySelector(".share__status");

  function say(text) {
    if (status) status.textContent = text;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  document.querySelectorAll("[data-copy-url]").forEach(function (button) {
    button.addEventListener("click", function () {
      copyText(button.getAttribute("data-copy-url")).then(
        function () { say(button.getAttribute("data-copied")); },
        function () { say(button.getAttribute("data-copy-url")); }
      );
    });
  });

  document.querySelectorAll("[data-share-url]").forEach(function (button) {
    if (!navigator.share) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({
        title: button.getAttribute("data-share-title"),
        url: button.getAttribute("data-share-url")
      }).catch(function () {});
    });
  });
})();
