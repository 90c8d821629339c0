/* Bulk face enrolment: follow the batch's encoding in place. The server encodes in the background; every few
   seconds this reads the batch's figures (and their sentence, in the reader's language) and stops once all are
   done. Without script the page shows the figures of the moment it was drawn. */
(function () {
  "use strict";
  var box = document.querySelector("[data-testid=progress]");
  if (!box || !box.querySelector("[data-role=following]")) { return; }
  var bar = box.querySelector("progress");
  var summary = box.querySelector("[data-role=summary]");
  var every = 2000;

  function show(p) {
    bar.max = p.total;
    bar.value = p.done;
    summary.textContent = p.summary;
    if (p.finished) {
      box.querySelector("[data-role=following]").remove();
    } else {
      window.setTimeout(read, every);
    }
  }

  function read() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(show)
      .catch(function () { every = Math.min(every * 2, 30000); window.setTimeout(read, every); });
  }

  window.setTimeout(read, every);
}());
