/* The big screen refreshes its figures in place: every data-refresh seconds it reads the cards as JSON and
   writes each value into its card (and the update time), so the page never reloads and nothing flickers. */
(function () {
  "use strict";
  var body = document.body;
  var every = parseInt(body.getAttribute("data-refresh"), 10) || 60;
  var source = body.getAttribute("data-source");

  function show(value, unit) {
    if (value === null || value === undefined) { return "—"; }
    return String(Math.round(value * 10) / 10) + (unit || "");
  }

  function refresh() {
    fetch(source, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        Object.keys(data.sections).forEach(function (section) {
          data.sections[section].forEach(function (card) {
            var el = document.querySelector('[data-value="' + card.key + '"]');
            if (el) { el.textContent = show(card.value, card.unit); }
          });
        });
        var updated = document.querySelector("[data-testid=updated]");
        if (updated) { updated.textContent = data.updated; }
      })
      .catch(function () { /* keep the figures shown; the next round tries again */ });
  }

  window.setInterval(refresh, every * 1000);
})();
