/* Generic forms (templates/form.html) and the pages that use its macros:
   - a select with data-depends-on (the id of another select) offers only the options whose data-parent names the
     other's value: buildings of the chosen campus, workers of the chosen team;
   - upload fields show what was chosen (thumbnails of pictures) with a remove button each, and catch too many or
     too large files before the upload;
   - person pickers ([data-person-picker]) put a search box with unit and role filters in front of their select.
   The server checks everything again; without script every field still works as a plain control. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  /* --- options that belong to another field's value ------------------------------------------------------- */

  function followParent(select) {
    var parent = document.getElementById(select.getAttribute("data-depends-on"));
    if (!parent) { return; }
    function apply() {
      for (var i = 0; i < select.options.length; i++) {
        var option = select.options[i];
        var parents = option.getAttribute("data-parent");
        var other = parents !== null && parents.split(" ").indexOf(parent.value) < 0;
        option.hidden = other;
        option.disabled = other || option.hasAttribute("data-refused");
        if (other && option.selected) { select.value = ""; }
      }
    }
    parent.addEventListener("change", apply);
    apply();
  }

  /* --- uploads: limits, thumbnails, remove buttons -------------------------------------------------------- */

  /* what stands for a chosen file that is no picture: a page drawn in SVG and its type ("PDF") in plain letters,
     which every font has (an emoji such as 📄 shows as an empty box where no emoji font is installed) */
  function documentIcon(name) {
    var svg = "http://www.w3.org/2000/svg";
    var icon = el("span", {"class": "file-icon", "aria-hidden": "true"});
    var page = document.createElementNS(svg, "svg");
    page.setAttribute("viewBox", "0 0 24 24");
    page.setAttribute("focusable", "false");
    [["path", {d: "M6 2.5h8.5l4.5 4.5v14.5H6z"}], ["path", {d: "M14.5 2.5V7H19"}]].forEach(function (part) {
      var node = document.createElementNS(svg, part[0]);
      Object.keys(part[1]).forEach(function (attr) { node.setAttribute(attr, part[1][attr]); });
      page.appendChild(node);
    });
    icon.appendChild(page);
    var extension = /\.([A-Za-z0-9]{1,5})$/.exec(name);
    if (extension) { icon.appendChild(el("span", {"class": "file-type"}, extension[1].toUpperCase())); }
    return icon;
  }

  function canEditFiles() {
    try { return typeof DataTransfer === "function" && !!new DataTransfer().items; } catch (e) { return false; }
  }

  function checkUploads(container) {
    var input = container.querySelector("input[type=file]");
    var note = container.querySelector("[data-upload-note]");
    var list = container.querySelector("[data-upload-previews]");
    if (!input || !note) { return; }
    var most = parseInt(container.getAttribute("data-max-files"), 10);
    var biggest = parseInt(container.getAttribute("data-max-bytes"), 10);
    var together = parseInt(container.getAttribute("data-max-total"), 10);
    var urls = [];
    var status = chooser();

    /* a button and a count in the page's language instead of the browser's own "Choose Files / No file chosen" */
    function chooser() {
      if (!container.getAttribute("data-choose")) { return null; }
      var row = el("div", {"class": "file-chooser"});
      var button = el("button", {type: "button", "class": "file-choose"}, container.getAttribute("data-choose"));
      var count = el("span", {"class": "muted", "data-upload-status": ""});
      button.addEventListener("click", function () { input.click(); });
      row.appendChild(button);
      row.appendChild(count);
      input.classList.add("file-input-hidden");
      input.setAttribute("tabindex", "-1");
      input.insertAdjacentElement("afterend", row);
      return count;
    }

    function fits() {
      var files = input.files || [];
      var problem = "", total = 0;
      if (files.length > most) { problem = container.getAttribute("data-too-many"); }
      for (var i = 0; i < files.length && !problem; i++) {
        total += files[i].size;
        if (files[i].size > biggest) { problem = container.getAttribute("data-too-large"); }
      }
      if (!problem && together && total > together * 0.95) { problem = container.getAttribute("data-too-large-together"); }
      note.textContent = problem;
      note.hidden = !problem;
      return !problem;
    }

    function removeAt(index) {
      var kept = new DataTransfer();
      for (var i = 0; i < input.files.length; i++) { if (i !== index) { kept.items.add(input.files[i]); } }
      input.files = kept.files;
      changed();
      input.focus();
    }

    function preview() {
      if (!list) { return; }
      urls.forEach(function (url) { URL.revokeObjectURL(url); });
      urls = [];
      list.textContent = "";
      var files = input.files || [];
      var editable = canEditFiles();
      for (var i = 0; i < files.length; i++) {
        var file = files[i];
        var item = el("li", {"class": "upload-preview"});
        if (/^image\//.test(file.type)) {
          var url = URL.createObjectURL(file);
          urls.push(url);
          item.appendChild(el("img", {src: url, alt: file.name}));
        } else {
          item.appendChild(documentIcon(file.name));
        }
        item.appendChild(el("span", {"class": "file-name", title: file.name}, file.name));
        if (editable) {
          var remove = el("button", {type: "button", "class": "link remove",
                                     "aria-label": container.getAttribute("data-remove") + " " + file.name},
                          container.getAttribute("data-remove"));
          remove.addEventListener("click", removeAt.bind(null, i));
          item.appendChild(remove);
        }
        list.appendChild(item);
      }
      list.hidden = files.length === 0;
    }

    function counted() {
      if (!status) { return; }
      var n = (input.files || []).length;
      status.textContent = n ? container.getAttribute("data-chosen").replace("{n}", String(n))
                             : container.getAttribute("data-none-chosen");
    }

    function changed() { fits(); preview(); counted(); }

    input.addEventListener("change", changed);
    var form = input.form;
    if (form) {
      form.addEventListener("submit", function (event) { if (!fits()) { event.preventDefault(); } });
    }
    if ((input.files || []).length) { changed(); } else { counted(); }  // files the browser kept after going back
  }

  /* --- person pickers ------------------------------------------------------------------------------------- */

  var pickers = 0;

  function personPicker(container) {
    var select = container.querySelector("select");
    var label = container.querySelector("label");
    if (!select || !window.fetch) { return; }
    var text = function (name) { return container.getAttribute("data-" + name) || ""; };
    var id = "person-picker-" + (++pickers);
    var state = {page: 1, pages: 1, active: -1, people: [], asked: 0, filters: false};

    var box = el("div", {"class": "picker"});
    var chosen = el("div", {"class": "picker-chosen", "aria-live": "polite"});
    var chosenText = el("strong", {"class": "picker-name"});
    var clear = el("button", {type: "button", "class": "link"}, text("clear"));
    chosen.appendChild(el("span", {}, text("chosen")));
    chosen.appendChild(chosenText);
    chosen.appendChild(clear);
    var search = el("input", {type: "search", id: id + "-q", "class": "input", role: "combobox", autocomplete: "off",
                              "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": id + "-list",
                              placeholder: text("placeholder")});
    var filters = el("div", {"class": "picker-filters"});
    var unit = el("select", {"class": "input", "aria-label": text("unit-label")});
    var role = el("select", {"class": "input", "aria-label": text("role-label")});
    unit.appendChild(el("option", {value: ""}, text("all-units")));
    role.appendChild(el("option", {value: ""}, text("all-roles")));
    filters.appendChild(unit);
    filters.appendChild(role);
    var status = el("p", {"class": "picker-status muted", "aria-live": "polite"});
    var list = el("ul", {id: id + "-list", role: "listbox", "class": "picker-list", "aria-label": label ? label.textContent : ""});
    var more = el("button", {type: "button", "class": "link picker-more", hidden: "hidden"}, text("more"));
    [chosen, search, filters, status, list, more].forEach(function (node) { box.appendChild(node); });
    select.hidden = true;
    select.setAttribute("tabindex", "-1");
    select.insertAdjacentElement("afterend", box);
    if (label) { label.setAttribute("for", search.id); }

    function showChosen() {
      var option = select.options[select.selectedIndex];
      var has = option && option.value;
      chosenText.textContent = has ? option.textContent : "";
      chosen.hidden = !has;
    }

    function choose(person) {
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(person.id); });
      if (!option) {
        option = el("option", {value: String(person.id)}, person.label);
        select.appendChild(option);
      }
      select.value = String(person.id);
      select.dispatchEvent(new Event("change", {bubbles: true}));
      showChosen();
      search.value = "";
      close();
    }

    function close() {
      list.textContent = "";
      more.hidden = true;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
      state.active = -1;
      status.textContent = "";
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) { return; }
      state.active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) { items[i].setAttribute("aria-selected", i === state.active ? "true" : "false"); }
      search.setAttribute("aria-activedescendant", items[state.active].id);
      items[state.active].scrollIntoView({block: "nearest"});
    }

    function render(answer, append) {
      if (!append) { list.textContent = ""; state.people = []; state.active = -1; }
      answer.people.forEach(function (person) {
        var index = state.people.length;
        state.people.push(person);
        var item = el("li", {role: "option", id: id + "-option-" + index, "aria-selected": "false", "class": "picker-option"});
        item.appendChild(el("span", {"class": "picker-name"}, person.label));
        var about = person.units.concat(person.roles).join(" · ");
        if (about) { item.appendChild(el("small", {"class": "muted"}, about)); }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(person); });
        list.appendChild(item);
      });
      state.page = answer.page;
      state.pages = answer.pages;
      more.hidden = answer.page >= answer.pages;
      status.textContent = answer.total ? text("found").replace("{n}", answer.total) : text("none");
      search.setAttribute("aria-expanded", state.people.length ? "true" : "false");
    }

    function fillFilters(answer) {
      if (state.filters) { return; }
      state.filters = true;
      answer.units.forEach(function (u) { unit.appendChild(el("option", {value: String(u.id)}, u.name)); });
      answer.roles.forEach(function (r) { role.appendChild(el("option", {value: r.value}, r.label)); });
    }

    function ask(page) {
      var asked = ++state.asked;
      var query = new URLSearchParams({q: search.value.trim(), unit: unit.value, role: role.value, page: String(page)});
      fetch(container.getAttribute("data-search-url") + "?" + query.toString(),
            {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
        .then(function (answer) {
          if (asked !== state.asked) { return; }  // a later question is on its way
          fillFilters(answer);
          render(answer, page > 1);
        })
        .catch(function () { if (asked === state.asked) { status.textContent = text("failed"); } });
    }

    var timer = null;
    function soon() {
      clearTimeout(timer);
      timer = setTimeout(function () { ask(1); }, 200);
    }

    search.addEventListener("input", soon);
    search.addEventListener("focus", function () { if (!list.children.length) { ask(1); } });
    unit.addEventListener("change", function () { ask(1); });
    role.addEventListener("change", function () { ask(1); });
    more.addEventListener("click", function () { ask(state.page + 1); });
    clear.addEventListener("click", function () {
      select.value = "";
      showChosen();
      search.focus();
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (!list.children.length) { ask(1); } else { highlight(state.active + 1); } }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(state.active - 1); }
      else if (event.key === "Enter" && state.active >= 0) { event.preventDefault(); choose(state.people[state.active]); }
      else if (event.key === "Escape") { close(); }
    });
    showChosen();
  }

  function init() {
    var i;
    var dependent = document.querySelectorAll("select[data-depends-on]");
    for (i = 0; i < dependent.length; i++) { followParent(dependent[i]); }
    var uploads = document.querySelectorAll("[data-upload]");
    for (i = 0; i < uploads.length; i++) { checkUploads(uploads[i]); }
    var people = document.querySelectorAll("[data-person-picker]");
    for (i = 0; i < people.length; i++) { personPicker(people[i]); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
