// Similar questions while the title is typed. Without JavaScript the button
// "Ähnliche Fragen anzeigen" does the same as a form step.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var title = document.getElementById("title");
    var region = document.getElementById("aehnliche");
    if (!title || !region || !window.fetch) {
      return;
    }
    var timer = null;
    var last = "";
    title.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = title.value.trim();
        if (text.length < 5 || text === last) {
          return;
        }
        last = text;
        var url = region.getAttribute("data-source") + "?titel=" + encodeURIComponent(text);
        window.fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : ""; })
          .then(function (html) {
            if (text === last) {
              region.innerHTML = html;  // our own server-rendered, escaped fragment
            }
          })
          .catch(function () { /* suggestions are a help, not a requirement */ });
      }, 400);
    });
  });
})();
