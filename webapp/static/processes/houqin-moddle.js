/* The houqin:* attributes the editor writes: an element's Chinese name beside its English `name`
   (engine/diagram_names.py reads them; the pages show each name in the reader's language). */
window.HouqinNamesModdle = {
  name: "Houqin",
  uri: "http://houqin.org/bpmn/schema/1.0",
  prefix: "houqin",
  xml: { tagAlias: "lowerCase" },
  types: [
    { name: "TranslatedName", extends: ["bpmn:BaseElement"],
      properties: [{ name: "nameZh", isAttr: true, type: "String" }] }
  ]
};
