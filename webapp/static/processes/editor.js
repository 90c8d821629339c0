/* The diagram editor: bpmn-js modeler plus a small properties panel for what this system needs (an element's name
   in Chinese and English, form key of a user task, lane role, service handler, timer as a duration rule or a
   literal duration), and the buttons that validate, save a draft and deploy through the JSON endpoints. The
   diagram opens zoomed to fit the canvas beside the palette, never under it. Texts come from the page. */
(function () {
  "use strict";
  var root = document.getElementById("editor");
  var T = JSON.parse(document.getElementById("editor-texts").textContent);
  var urls = root.dataset;
  var csrf = root.dataset.csrf;
  var modeler = new BpmnJS({ container: "#canvas", additionalModules: [window.HouqinNameLabels],
    moddleExtensions: { spiffworkflow: window.HouqinSpiffModdle, houqin: window.HouqinNamesModdle } });
  var modeling = modeler.get("modeling");
  var moddle = modeler.get("moddle");
  var canvas = modeler.get("canvas");
  var registry = modeler.get("elementRegistry");
  var panel = document.getElementById("properties");
  var canvasBox = document.getElementById("canvas");
  var problemList = document.getElementById("problems");
  var status = document.getElementById("status");
  var choices = { forms: [], durations: [], roles: [], services: [] };
  var marked = [];
  var UNITS = { M: "PT%M", H: "PT%H", D: "P%D", W: "P%W" };

  function say(text, kind) { status.textContent = text; status.className = "flash " + (kind || "info"); }

  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (data) { data.status = r.status; return data; }); });
  }

  // --- extension properties ------------------------------------------------------------------
  function extensionOf(element, type, create) {
    var bo = element.businessObject;
    var ext = bo.extensionElements;
    if (!ext && !create) { return null; }
    if (!ext) {
      ext = moddle.create("bpmn:ExtensionElements", { values: [] });
      modeling.updateModdleProperties(element, bo, { extensionElements: ext });
    }
    var found = (ext.get("values") || []).find(function (v) { return v.$type === type; });
    if (!found && create) {
      found = moddle.create(type, {});
      modeling.updateModdleProperties(element, ext, { values: ext.get("values").concat([found]) });
    }
    return found || null;
  }

  function getProperty(element, name) {
    var props = extensionOf(element, "spiffworkflow:Properties", false);
    var prop = props && (props.get("property") || []).find(function (p) { return p.name === name; });
    return prop ? prop.value : "";
  }

  function setProperty(element, name, value) {
    var props = extensionOf(element, "spiffworkflow:Properties", true);
    var list = props.get("property") || [];
    var prop = list.find(function (p) { return p.name === name; });
    if (prop) { modeling.updateModdleProperties(element, prop, { value: value }); return; }
    prop = moddle.create("spiffworkflow:Property", { name: name, value: value });
    modeling.updateModdleProperties(element, props, { property: list.concat([prop]) });
  }

  // --- timers ------------------------------------------------------------------------------
  function timerOf(element) {
    var defs = element.businessObject.eventDefinitions || [];
    var timer = defs.find(function (d) { return d.$type === "bpmn:TimerEventDefinition"; });
    if (!timer) { return null; }
    var kind = ["timeDuration", "timeCycle", "timeDate"].find(function (k) { return timer.get(k); }) || "timeDuration";
    var expr = timer.get(kind);
    return { definition: timer, kind: kind, text: expr ? (expr.body || "").trim() : "" };
  }

  function parseTimer(text) {
    var m = text.match(/^rule_duration\('([^']+)'\)$/);
    if (m) { return { mode: "rule", first: m[1] }; }
    m = text.match(/^rule_cycle\('([^']+)',\s*'([^']+)'\)$/);
    if (m) { return { mode: "rule", first: m[1], repeat: m[2] }; }
    m = text.match(/^"(R\/)?PT?(\d+)([MHDW])"$/);
    if (m) { return { mode: "literal", amount: m[2], unit: m[3] }; }
    return { mode: "other" };
  }

  function writeTimer(element, timer, text) {
    var expr = moddle.create("bpmn:FormalExpression", { body: text });
    var change = {}; change[timer.kind] = expr;
    modeling.updateModdleProperties(element, timer.definition, change);
  }

  // --- the panel ---------------------------------------------------------------------------
  function field(label, control, testid) {
    var p = document.createElement("p"); p.className = "field";
    var l = document.createElement("label"); l.textContent = label;
    if (testid) { control.dataset.testid = testid; }
    l.appendChild(control); p.appendChild(l); panel.appendChild(p);
    return control;
  }

  // options: names, or {name, label}; a current value that is not offered stays, marked with `stranger`
  function select(options, current, blank, stranger) {
    var s = document.createElement("select");
    if (blank !== undefined) { s.appendChild(new Option(blank, "")); }
    options.forEach(function (o) {
      var v = typeof o === "string" ? o : o.name;
      s.appendChild(new Option(o.label || v, v, false, v === current));
    });
    if (current && options.every(function (o) { return (typeof o === "string" ? o : o.name) !== current; })) {
      s.appendChild(new Option(current + " (" + (stranger || T.unknown) + ")", current, false, true));
    }
    return s;
  }

  function timerFields(element, timer) {
    var parsed = parseTimer(timer.text);
    var cycle = timer.kind === "timeCycle";
    var mode = select([], null); mode.appendChild(new Option(T.fromRule, "rule")); mode.appendChild(new Option(T.literal, "literal"));
    mode.value = parsed.mode === "literal" ? "literal" : "rule";
    field(T.timerSource, mode, "timer-mode");
    var first = field(cycle ? T.firstAfter : T.ruleKey, select(choices.durations, parsed.first, "—", T.notDuration), "timer-rule");
    var repeat = cycle ? field(T.repeatEvery, select(choices.durations, parsed.repeat, "—", T.notDuration), "timer-repeat") : null;
    var amount = document.createElement("input"); amount.type = "number"; amount.min = "1"; amount.value = parsed.amount || "1";
    field(T.amount, amount, "timer-amount");
    var unit = select([], null);
    [["M", T.minutes], ["H", T.hours], ["D", T.days], ["W", T.weeks]].forEach(function (u) { unit.appendChild(new Option(u[1], u[0])); });
    unit.value = parsed.unit || "H";
    field(T.unit, unit, "timer-unit");
    var shown = document.createElement("code"); shown.textContent = timer.text; shown.dataset.testid = "timer-expression";
    field(T.expression, shown);
    function sync() {
      var rule = mode.value === "rule";
      [first, repeat].forEach(function (c) { if (c) { c.parentNode.parentNode.hidden = !rule; } });
      [amount, unit].forEach(function (c) { c.parentNode.parentNode.hidden = rule; });
    }
    function apply() {
      sync();
      var text;
      if (mode.value === "rule") {
        if (!first.value || (cycle && !repeat.value)) { return; }
        text = cycle ? "rule_cycle('" + first.value + "', '" + repeat.value + "')" : "rule_duration('" + first.value + "')";
      } else {
        var n = Math.max(1, parseInt(amount.value, 10) || 1);
        text = '"' + (cycle ? "R/" : "") + UNITS[unit.value].replace("%", n) + '"';
      }
      writeTimer(element, timer, text);
      shown.textContent = text;
    }
    [mode, first, repeat, amount, unit].forEach(function (c) { if (c) { c.addEventListener("change", apply); } });
    sync();
  }

  // --- names in both languages -------------------------------------------------------------------
  // `name` holds the English name (the catalog msgid of a shipped diagram), houqin:nameZh the Chinese one; an
  // element named in Chinese only keeps that as its `name` too, so it is never nameless.
  function shownName(bo) { return (T.locale === "en" ? bo.name : bo.get("houqin:nameZh")) || bo.name || bo.id; }

  // `bo` is the element's own business object, or the process a pool (participant) stands for
  function nameFields(element, bo, labels, testid) {
    var zh = document.createElement("input"); zh.value = bo.get("houqin:nameZh") || "";
    var en = document.createElement("input"); en.value = bo.name || "";
    field(labels[0], zh, testid + "-zh");
    field(labels[1], en, testid + "-en");
    function apply() {
      var chinese = zh.value.trim(), english = en.value.trim() || chinese;
      modeling.updateModdleProperties(element, bo, { "houqin:nameZh": chinese || undefined });
      if (bo === element.businessObject && element.parent) { modeling.updateLabel(element, english); }
      else { modeling.updateModdleProperties(element, bo, { name: english }); }  // a process: no label of its own
      if (bo === element.businessObject) { heading.textContent = shownName(bo); }
    }
    zh.addEventListener("change", apply);
    en.addEventListener("change", apply);
  }

  var heading = null;

  function render(element) {
    panel.innerHTML = "";
    element = element || canvas.getRootElement();  // nothing selected: the process itself, if it is the root
    var bo = element && element.businessObject;
    heading = document.createElement("h2");
    panel.appendChild(heading);
    if (!bo || bo.$type === "bpmn:Collaboration") { heading.textContent = T.nothingSelected; return; }
    heading.textContent = shownName(bo);
    var id = document.createElement("code"); id.textContent = bo.id + " · " + bo.$type.replace("bpmn:", "");
    panel.appendChild(id);
    if (bo.$type !== "bpmn:Lane" && bo.$type !== "bpmn:TextAnnotation") {  // a lane is named by its role
      nameFields(element, bo, [T.nameZh, T.nameEn], "prop-name");
    }
    if (bo.$type === "bpmn:Participant" && bo.processRef) {
      nameFields(element, bo.processRef, [T.processNameZh, T.processNameEn], "prop-process-name");
    }
    if (bo.$type === "bpmn:UserTask") {
      field(T.formKey, select(choices.forms, getProperty(element, "formKey"), "—"), "prop-form")
        .addEventListener("change", function (e) { setProperty(element, "formKey", e.target.value); });
    }
    if (bo.$type === "bpmn:Lane") {
      field(T.laneRole, select(choices.roles, bo.name || "", "—"), "prop-lane-role")
        .addEventListener("change", function (e) { modeling.updateLabel(element, e.target.value); });
    }
    if (bo.$type === "bpmn:ServiceTask") {
      var operator = extensionOf(element, "spiffworkflow:ServiceTaskOperator", false);
      field(T.handler, select(choices.services, operator ? operator.id : "", "—"), "prop-handler")
        .addEventListener("change", function (e) {
          var op = extensionOf(element, "spiffworkflow:ServiceTaskOperator", true);
          modeling.updateModdleProperties(element, op, { id: e.target.value });
        });
    }
    var timer = timerOf(element);
    if (timer && timer.kind !== "timeDate") { timerFields(element, timer); }
  }

  // --- fitting the diagram beside the palette ------------------------------------------------------
  // bpmn-js's own "fit-viewport" uses the whole canvas, so the palette (drawn over its top-left corner) hides
  // part of the diagram: this fits it into the area right of the palette instead, centred there.
  function fitBesidePalette() {
    canvas.zoom("fit-viewport");
    var inner = canvas.viewbox().inner;
    var size = { width: canvasBox.clientWidth, height: canvasBox.clientHeight };
    var palette = canvasBox.querySelector(".djs-palette");
    var margin = 16;
    var left = (palette ? palette.offsetLeft + palette.offsetWidth : 0) + margin;
    var width = Math.max(size.width - left - margin, 50), height = Math.max(size.height - 2 * margin, 50);
    if (!inner.width || !inner.height) { return; }
    var scale = Math.min(width / inner.width, height / inner.height, 1);
    var x = inner.x - (left + (width - inner.width * scale) / 2) / scale;
    var y = inner.y - (margin + (height - inner.height * scale) / 2) / scale;
    canvas.viewbox({ x: x, y: y, width: size.width / scale, height: size.height / scale });
  }

  // --- problems ----------------------------------------------------------------------------
  function showProblems(problems) {
    marked.forEach(function (id) { if (registry.get(id)) { canvas.removeMarker(id, "has-problem"); } });
    marked = [];
    problemList.innerHTML = "";
    problems.forEach(function (p) {
      var li = document.createElement("li"); li.textContent = p.text;
      if (p.element_id && registry.get(p.element_id)) {
        canvas.addMarker(p.element_id, "has-problem"); marked.push(p.element_id);
        li.dataset.element = p.element_id;
        li.addEventListener("click", function () { modeler.get("selection").select(registry.get(p.element_id)); });
      }
      problemList.appendChild(li);
    });
  }

  function xml() { return modeler.saveXML({ format: true }).then(function (r) { return r.xml; }); }

  function comment() { return document.getElementById("comment").value.trim(); }

  document.getElementById("fit").addEventListener("click", fitBesidePalette);
  document.getElementById("validate").addEventListener("click", function () {
    xml().then(function (x) { return post(urls.validateUrl, { xml: x }); }).then(function (r) {
      showProblems(r.problems || []);
      say(r.ok ? T.valid : T.invalid, r.ok ? "success" : "error");
    });
  });
  document.getElementById("save-draft").addEventListener("click", function () {
    xml().then(function (x) { return post(urls.draftUrl, { xml: x, comment: comment() }); }).then(function (r) {
      say(r.message || T.failed, r.ok ? "success" : "error");
    });
  });
  document.getElementById("deploy").addEventListener("click", function () {
    xml().then(function (x) { return post(urls.deployUrl, { xml: x, comment: comment() }); }).then(function (r) {
      showProblems(r.problems || []);
      if (r.ok) { say(r.message, "success"); window.location.href = urls.versionsUrl; }
      else { say(r.message || T.invalid, "error"); }
    });
  });

  Promise.all([
    fetch(urls.choicesUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
    fetch(urls.sourceUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
  ]).then(function (loaded) {
    choices = loaded[0];
    var origin = loaded[1].origin;
    document.getElementById("origin").textContent = origin === "draft" ? T.openedDraft :
      origin === "version" ? T.openedVersion.replace("{version}", loaded[1].version) : T.openedActive;
    return modeler.importXML(loaded[1].xml);
  }).then(function () {
    fitBesidePalette();
    modeler.on("selection.changed", function (e) { render(e.newSelection[0]); });
    // drilling into a subprocess (or back out) shows another plane: fit that one too
    modeler.on("root.set", function () { window.requestAnimationFrame(fitBesidePalette); });
    render(null);
    root.dataset.ready = "true";
  }).catch(function (err) { say(err.message, "error"); root.dataset.ready = "error"; });
})();
