/* Error pages (templates/_error_card.html): "Back to the previous page" uses the browser's Back when the page
   before is the one linked, so a form refused for its size comes back with what was typed still in it. */
(function () {
  "use strict";
  var back = document.querySelector("[data-back]");
  if (!back || window.history.length < 2) { return; }
  back.addEventListener("click", function (event) {
    if (document.referrer === back.href) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
