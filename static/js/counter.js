// Characters left in a field with a limit (data-zeichen-max): the browser does not cut a
// longer text, so the person sees how much is too much before sending. The words come from
// the page (data-left, data-over on the counter), with {num} for the number.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var counters = document.querySelectorAll(".char-counter[data-for]");
    Array.prototype.forEach.call(counters, function (counter) {
      var input = document.getElementById(counter.getAttribute("data-for"));
      if (!input) {
        return;
      }
      var most = parseInt(input.getAttribute("data-zeichen-max"), 10);
      var timer = null;
      function show() {
        var length = Array.from(input.value).length;
        var over = length > most;
        var text = counter.getAttribute(over ? "data-over" : "data-left");
        counter.textContent = text.replace("{num}", String(over ? length - most : most - length));
        counter.classList.toggle("error-message", over);
      }
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(show, 300);  // read out after a pause, not on every key
      });
      show();
    });
  });
})();
