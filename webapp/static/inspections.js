/* The round sheet's problems beside the checklist (templates/inspections/carry.html). The page sends spare rows:
   here each waits hidden and disabled (a disabled row is not sent) until "Add a problem" shows the next one, and
   "Remove" empties a row and puts it back among the spares. Without script the first spare row shows, and a row
   left empty is no problem: the server ignores it. */
(function () {
  "use strict";

  function each(nodes, act) { Array.prototype.forEach.call(nodes, act); }

  function isBlank(row) {
    var filled = false;
    each(row.querySelectorAll("textarea, input[type=text]"), function (input) { filled = filled || !!input.value.trim(); });
    each(row.querySelectorAll("input[type=file]"), function (input) { filled = filled || !!(input.files && input.files.length); });
    return !filled;
  }

  function empty(row) {
    each(row.querySelectorAll("textarea, input[type=text]"), function (input) { input.value = ""; });
    each(row.querySelectorAll("select"), function (select) { select.selectedIndex = 0; });
    each(row.querySelectorAll("input[type=file]"), function (input) {
      input.value = "";
      input.dispatchEvent(new Event("change"));  // forms.js clears the thumbnails
    });
    each(row.querySelectorAll("span.error[role=alert]:not([data-upload-note])"), function (error) { error.remove(); });
    each(row.querySelectorAll(".has-error"), function (field) { field.classList.remove("has-error"); });
  }

  function show(row, shown) {
    row.hidden = !shown;
    row.disabled = !shown;
  }

  function problems(section) {
    var add = section.querySelector("[data-add-problem]");
    var rows = function () { return Array.prototype.slice.call(section.querySelectorAll("[data-problem]")); };

    function renumber() {
      var shown = 0;
      rows().forEach(function (row) {
        if (!row.hidden) { shown += 1; row.querySelector("[data-problem-number]").textContent = String(shown); }
      });
      add.hidden = !rows().some(function (row) { return row.hidden; });
    }

    rows().forEach(function (row) {
      var remove = row.querySelector("[data-remove-problem]");
      remove.hidden = false;
      remove.addEventListener("click", function () {
        empty(row);
        show(row, false);
        section.insertBefore(row, add);  // the last spare again
        renumber();
        add.focus();
      });
      if (row.hasAttribute("data-spare") && isBlank(row)) { show(row, false); }
    });
    add.addEventListener("click", function () {
      var next = rows().filter(function (row) { return row.hidden; })[0];
      if (!next) { return; }
      show(next, true);
      renumber();
      next.querySelector("textarea").focus();
    });
    renumber();
  }

  function init() { each(document.querySelectorAll("[data-extra-problems]"), problems); }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
