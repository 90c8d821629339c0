/* Generic forms (templates/form.html): buildings follow the chosen campus in location pickers, and too many
   or too large files are caught before the upload. The server checks everything again. */
(function () {
  "use strict";

  function filterBuildings(container) {
    var campus = container.querySelector("select[data-role=campus]");
    var building = container.querySelector("select[data-role=building]");
    if (!campus || !building) { return; }
    function apply() {
      for (var i = 0; i < building.options.length; i++) {
        var option = building.options[i];
        var parent = option.getAttribute("data-parent");
        var other = parent !== null && parent !== campus.value;
        option.hidden = other;
        option.disabled = other;
        if (other && option.selected) { building.value = ""; }
      }
    }
    campus.addEventListener("change", apply);
    apply();
  }

  function checkUploads(container) {
    var input = container.querySelector("input[type=file]");
    var note = container.querySelector("[data-upload-note]");
    if (!input || !note) { return; }
    var most = parseInt(container.getAttribute("data-max-files"), 10);
    var biggest = parseInt(container.getAttribute("data-max-bytes"), 10);
    function fits() {
      var files = input.files || [];
      var problem = "";
      if (files.length > most) { problem = container.getAttribute("data-too-many"); }
      for (var i = 0; i < files.length && !problem; i++) {
        if (files[i].size > biggest) { problem = container.getAttribute("data-too-large"); }
      }
      note.textContent = problem;
      note.hidden = !problem;
      return !problem;
    }
    input.addEventListener("change", fits);
    var form = input.form;
    if (form) {
      form.addEventListener("submit", function (event) { if (!fits()) { event.preventDefault(); } });
    }
  }

  function init() {
    var i;
    var locations = document.querySelectorAll("[data-location]");
    for (i = 0; i < locations.length; i++) { filterBuildings(locations[i]); }
    var uploads = document.querySelectorAll("[data-upload]");
    for (i = 0; i < uploads.length; i++) { checkUploads(uploads[i]); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
