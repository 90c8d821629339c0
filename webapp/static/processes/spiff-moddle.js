/* The spiffworkflow:* extension elements the engine reads (engine/projection.py, service tasks, events),
   described for bpmn-js so the editor keeps them and the properties panel can write them. A child list is
   named like its XML tag (property, parameter) so it is read and written under that tag. */
window.HouqinSpiffModdle = (function () {
  function attr(name) { return { name: name, isAttr: true, type: "String" }; }
  function body(name) { return { name: name, superClass: ["Element"], properties: [{ name: "value", isBody: true, type: "String" }] }; }
  return {
    name: "SpiffWorkflow",
    uri: "http://spiffworkflow.org/bpmn/schema/1.0/core",
    prefix: "spiffworkflow",
    xml: { tagAlias: "lowerCase" },
    types: [
      { name: "Properties", superClass: ["Element"], properties: [{ name: "property", type: "Property", isMany: true }] },
      { name: "Property", superClass: ["Element"], properties: [attr("name"), attr("value")] },
      { name: "ServiceTaskOperator", superClass: ["Element"],
        properties: [attr("id"), attr("resultVariable"), { name: "parameters", type: "Parameters" }] },
      { name: "Parameters", superClass: ["Element"], properties: [{ name: "parameter", type: "Parameter", isMany: true }] },
      { name: "Parameter", superClass: ["Element"], properties: [attr("id"), attr("type"), attr("value")] },
      body("PreScript"), body("PostScript"), body("InstructionsForEndUser"), body("PayloadExpression"),
      body("VariableName"), body("MessagePayload"), body("MessageVariable")
    ]
  };
})();
