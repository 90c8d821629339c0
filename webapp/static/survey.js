/* The survey page's "show if": a question whose condition is not met is hidden and its inputs disabled, so the
   browser does not send them (the server refuses an answer to a question not asked). Conditions name earlier
   questions only, so one pass in page order settles every question. */
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=survey-form]");
  if (!form) { return; }
  var questions = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));

  function shown(id) {
    var box = form.querySelector('[data-question="' + id + '"]');
    return box !== null && !box.hidden;
  }

  function answered(id, value) {
    var inputs = form.querySelectorAll('[name="' + id + '"]:checked');
    return Array.prototype.some.call(inputs, function (input) { return input.value === value; });
  }

  function refresh() {
    questions.forEach(function (box) {
      var target = box.getAttribute("data-show-if-question");
      if (!target) { return; }
      var visible = shown(target) && answered(target, box.getAttribute("data-show-if-answer"));
      box.hidden = !visible;
      box.querySelectorAll("input, textarea").forEach(function (input) { input.disabled = !visible; });
    });
  }

  form.addEventListener("change", refresh);
  refresh();
}());
