/* Diagrams drawn in the reader's language: an element keeps its English name in `name` and its Chinese one in
   houqin:nameZh (the server adds the catalog's for shipped diagrams). On a Chinese page this module draws each
   shape and flow with its Chinese name, and every lane (whose name is the role its tasks go to) with the role's
   label, borrowed only while bpmn-js draws it, so the model (and what the editor saves) is untouched. Used by the
   editor and the read-only viewers as an additional bpmn-js module. */
(function () {
  "use strict";
  var CHINESE = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0;
  var rolesScript = document.getElementById("role-labels");
  var ROLES = rolesScript ? JSON.parse(rolesScript.textContent) : {};

  function shownName(bo) {
    if (!bo) { return null; }
    if (bo.$type === "bpmn:Lane") { return ROLES[bo.name] || null; }  // a lane's name is its role: show the role's label
    if (!CHINESE) { return null; }
    return (bo.get && bo.get("houqin:nameZh")) || (bo.$attrs && bo.$attrs["houqin:nameZh"]) || null;
  }

  function NameRenderer(eventBus, bpmnRenderer, elementRegistry) {
    function named(element, draw) {
      var bo = element.businessObject, other = shownName(bo);
      if (!other) { return draw(); }
      var own = bo.name;
      bo.name = other;
      try { return draw(); } finally { bo.name = own; }
    }
    eventBus.on("render.shape", 1500, function (event, context) {
      if (!bpmnRenderer.canRender(context.element)) { return undefined; }
      return named(context.element, function () {
        return bpmnRenderer.drawShape(context.gfx, context.element, context.attrs);
      });
    });
    eventBus.on("render.connection", 1500, function (event, context) {
      if (!bpmnRenderer.canRender(context.element)) { return undefined; }
      return named(context.element, function () {
        return bpmnRenderer.drawConnection(context.gfx, context.element, context.attrs);
      });
    });
    // the breadcrumbs above a subprocess's plane name the planes: in the reader's language too
    eventBus.on("root.set", function () {
      if (!CHINESE) { return; }
      window.requestAnimationFrame(function () {
        var shown = {};
        elementRegistry.getAll().forEach(function (element) {
          var bo = element.businessObject;
          [bo, bo && bo.processRef].forEach(function (named) {
            var other = shownName(named);
            if (named && named.name && other) { shown[named.name] = other; }
          });
        });
        document.querySelectorAll(".bjs-breadcrumbs .bjs-crumb").forEach(function (crumb) {
          var other = shown[crumb.textContent];
          if (other) { crumb.textContent = other; crumb.title = other; }
        });
      });
    });
  }
  NameRenderer.$inject = ["eventBus", "bpmnRenderer", "elementRegistry"];

  window.HouqinNameLabels = { __init__: ["houqinNameRenderer"], houqinNameRenderer: ["type", NameRenderer] };
})();
