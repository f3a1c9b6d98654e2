// Hearth's small enhancements. Every page works without this file.
(function () {
  "use strict";

  // Quick exit: leave at once for a neutral page, replacing this history
  // entry so Back does not return here. Also on Escape pressed twice.
  var exitUrl = document.body.getAttribute("data-quick-exit-url");
  function quickExit(event) {
    if (event) event.preventDefault();
    document.body.style.visibility = "hidden";
    document.title = "";
    window.location.replace(exitUrl);
  }
  var links = document.querySelectorAll("[data-quick-exit]");
  for (var i = 0; i < links.length; i++) links[i].addEventListener("click", quickExit);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 800) quickExit(event);
    lastEscape = now;
  });

  // Move focus to an error summary so screen readers hear it first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();
})();
