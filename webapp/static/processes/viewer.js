/* Read-only diagrams with marks: the instance viewer (completed, active, waiting, errored elements) and the
   version diff (added, changed, removed). Each container names its data in a JSON script element. */
(function () {
  "use strict";
  async function show(container) {
    var data = JSON.parse(document.getElementById(container.dataset.source).textContent);
    var viewer = new BpmnJS({ container: container, additionalModules: [window.HouqinNameLabels],
      moddleExtensions: { houqin: window.HouqinNamesModdle } });
    await viewer.importXML(data.xml);
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    canvas.zoom("fit-viewport");
    viewer.on("root.set", function () { window.requestAnimationFrame(function () { canvas.zoom("fit-viewport"); }); });
    Object.keys(data.marks || {}).forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, "mark-" + data.marks[id]); }
    });
    container.dataset.ready = "true";
  }
  document.querySelectorAll("[data-diagram]").forEach(function (container) {
    show(container).catch(function (err) {
      container.textContent = err.message;
      container.dataset.ready = "error";
    });
  });
})();
