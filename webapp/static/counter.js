/* The counter form (/counter/new): once the clerk has entered the requester, the campus select starts on the
   requester's campus, as the requester's own report form does. The clerk's own choice of campus is kept, and a
   requester without a campus (or no one found) leaves the select as it is; the server checks everything on sending. */
(function () {
  "use strict";
  var requester = document.querySelector("input[data-requester-lookup]");
  var campus = requester && requester.form.querySelector("select[name=campus_id]");
  if (!campus) { return; }
  var chosenByClerk = false;
  var switching = false;
  campus.addEventListener("change", function () { if (!switching) { chosenByClerk = true; } });

  function offered(value) {
    return Array.prototype.some.call(campus.options, function (option) { return option.value === value; });
  }

  requester.addEventListener("change", function () {
    var query = requester.value.trim();
    if (!query || chosenByClerk) { return; }
    fetch(requester.getAttribute("data-requester-lookup") + "?q=" + encodeURIComponent(query),
          {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (found) {
        var value = found.campus_id === null || found.campus_id === undefined ? "" : String(found.campus_id);
        if (!value || chosenByClerk || requester.value.trim() !== query || !offered(value)) { return; }
        switching = true;
        campus.value = value;
        campus.dispatchEvent(new Event("change"));  /* the buildings follow */
        switching = false;
      })
      .catch(function () { /* offline or refused: the clerk chooses the campus */ });
  });
})();
