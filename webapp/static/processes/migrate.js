/* Bulk move: queue the checked instances, then draw the progress bar from the background job's state. */
(function () {
  "use strict";
  var form = document.getElementById("migrate");
  if (!form) { return; }
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");

  function show(state) {
    var refused = {};
    state.refused.forEach(function (r) { refused[r.id] = r.reason; });
    state.instance_ids.slice(0, state.handled).forEach(function (id) {
      var cell = form.querySelector("tr[data-instance='" + id + "'] .result");
      if (cell) { cell.textContent = id in refused ? refused[id] : "✓ " + form.dataset.movedText; }
    });
    bar.max = state.total; bar.value = state.handled;
    text.textContent = form.dataset.doneText.replace("{done}", state.moved).replace("{total}", state.total);
  }

  async function watch(url) {
    for (;;) {
      var state = await fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
      if (state.instance_ids) { show(state); }
      if (state.error) { text.textContent = state.error; return; }
      if (state.status === "done") { return; }
      await new Promise(function (resolve) { setTimeout(resolve, 1000); });
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;  // one job per click, however impatient the click
    var body = JSON.stringify({
      to: form.elements.to.value, reason: form.elements.reason.value,
      instances: Array.from(form.querySelectorAll("input[name=instance]:checked")).map(function (i) { return i.value; })
    });
    var answer = await fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.elements.csrf_token.value }
    }).then(function (r) { return r.json(); }).catch(function () { return { error: form.dataset.failedText }; });
    if (answer.error) { text.textContent = answer.error; button.disabled = false; return; }
    bar.hidden = false; bar.max = answer.total; bar.value = 0;
    text.textContent = form.dataset.queuedText;
    watch(answer.status);
  });
})();
