/* Bulk move: send the checked instances in batches and draw the progress bar from each answer. */
(function () {
  "use strict";
  var form = document.getElementById("migrate");
  if (!form) { return; }
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var ids = Array.from(form.querySelectorAll("input[name=instance]:checked")).map(function (i) { return i.value; });
    var size = parseInt(form.dataset.batch, 10);
    var done = 0;
    bar.hidden = false; bar.max = ids.length; bar.value = 0;
    for (var start = 0; start < ids.length; start += size) {
      var body = new FormData();
      ["csrf_token", "to", "reason"].forEach(function (n) { body.append(n, form.elements[n].value); });
      ids.slice(start, start + size).forEach(function (id) { body.append("instance", id); });
      var answer = await fetch(form.action, { method: "POST", body: body, credentials: "same-origin" }).then(function (r) { return r.json(); });
      if (answer.error) { text.textContent = answer.error; return; }
      answer.results.forEach(function (r) {
        var cell = form.querySelector("tr[data-instance='" + r.id + "'] .result");
        if (cell) { cell.textContent = r.moved ? "✓" : r.reason; }
        if (r.moved) { done += 1; }
      });
      bar.value = Math.min(ids.length, start + size);
      text.textContent = form.dataset.doneText.replace("{done}", done).replace("{total}", ids.length);
    }
  });
})();
