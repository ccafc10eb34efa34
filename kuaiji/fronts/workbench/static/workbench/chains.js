/* Chain screens: the BPMN diagram drawn by bpmn-js (served locally) from the model's own XML,
   with the current steps outlined; and the start form's departments field, shown only for the
   models that take it. */
(function () {
  "use strict";

  function fail(container) {
    container.classList.add("chain-diagram-failed");
    container.textContent = container.dataset.failed;
  }

  var READABLE = 0.7;

  /* A whole model is too small to read on a phone: show the current step, readable, in the
     middle (the diagram can still be dragged and zoomed). */
  function focus(canvas, element, container) {
    var width = container.clientWidth / READABLE;
    var height = container.clientHeight / READABLE;
    canvas.viewbox({
      x: element.x + element.width / 2 - width / 2,
      y: element.y + element.height / 2 - height / 2,
      width: width,
      height: height
    });
  }

  function draw(container) {
    if (!window.BpmnJS) { fail(container); return; }
    var viewer = new window.BpmnJS({ container: container });
    fetch(container.dataset.bpmnSource, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get("canvas");
        var registry = viewer.get("elementRegistry");
        var current = (container.dataset.current || "").split(/\s+/)
          .map(function (id) { return id && registry.get(id); })
          .filter(Boolean);
        current.forEach(function (element) { canvas.addMarker(element.id, "chain-current"); });
        canvas.zoom("fit-viewport", "auto");
        if (current.length && canvas.zoom() < READABLE) { focus(canvas, current[0], container); }
        container.dataset.ready = "true";
        window.addEventListener("resize", function () { canvas.resized(); });
      })
      .catch(function () {
        viewer.destroy();
        fail(container);
      });
  }

  document.querySelectorAll("[data-bpmn-source]").forEach(draw);

  var definition = document.querySelector("select[data-chain-definition]");
  var departments = document.querySelector("[data-departments-field]");
  if (definition && departments) {
    var keys = (definition.dataset.withDepartments || "").split(/\s+/);
    var input = departments.querySelector("input");
    var toggle = function () {
      var wanted = keys.indexOf(definition.value) !== -1;
      departments.hidden = !wanted;
      input.required = wanted;
    };
    definition.addEventListener("change", toggle);
    toggle();
  }
})();
