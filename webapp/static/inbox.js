/* The inbox's "new tasks" hint: every 30 s ask /inbox/count.json how many tasks are open; when more than the
   page shows have arrived, say so (with a link that reloads the list), and keep the bell's count current. */
(function () {
  "use strict";
  var hint = document.querySelector("[data-inbox-hint]");
  if (!hint || !window.fetch) { return; }
  var url = hint.getAttribute("data-url");
  var shown = parseInt(hint.getAttribute("data-open"), 10) || 0;
  var every = (parseInt(hint.getAttribute("data-every"), 10) || 30) * 1000;
  var count = hint.querySelector("[data-new-count]");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var arrived = data.open - shown;
        if (count) { count.textContent = String(Math.max(arrived, 0)); }
        hint.hidden = arrived <= 0;
        var bell = document.querySelector("[data-testid=bell-count]");
        if (bell && typeof data.unread === "number") {
          bell.textContent = String(data.unread);
          bell.hidden = data.unread === 0;  // no badge for nothing unread
        }
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }

  window.setInterval(poll, every);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
