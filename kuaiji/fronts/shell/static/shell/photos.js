/* Photo inputs of report forms, in both fronts: phones take one picture per input when the
   camera opens, so an empty input is added after each one filled, while fewer photos than the
   limit (data-max) are chosen. */
(function () {
  "use strict";
  document.querySelectorAll("[data-photos]").forEach(function (box) {
    var most = parseInt(box.dataset.max, 10) || 6;
    function count() {
      var total = 0;
      box.querySelectorAll("input[type=file]").forEach(function (input) { total += input.files.length; });
      return total;
    }
    box.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "file" || !input.files.length) { return; }
      var inputs = box.querySelectorAll("input[type=file]");
      var last = inputs[inputs.length - 1];
      if (last.files.length && count() < most) {
        var next = last.cloneNode();
        next.removeAttribute("id");
        next.value = "";
        last.insertAdjacentElement("afterend", next);
      }
    });
  });
})();
