/* Directory screens: the grid map (Leaflet served locally; no tiles, only the grid polygons
   from the screen's own GeoJSON) and the area chooser. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-auto-submit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  var element = document.getElementById("grid-map");
  var panel = document.getElementById("grid-panel");
  if (!element || !panel || !window.L) { return; }

  var STYLE = { color: "#0b5cad", weight: 1.5, fillColor: "#4dabf7", fillOpacity: 0.28 };
  var SELECTED = { color: "#d9480f", weight: 3, fillColor: "#ff922b", fillOpacity: 0.5 };
  var OUTLINE = { color: "#5f6c7b", weight: 2, dashArray: "6 4", fill: false, interactive: false };
  var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  var layers = {};
  var selected = null;

  function select(code) {
    if (selected && layers[selected]) { layers[selected].setStyle(STYLE); }
    selected = code;
    if (layers[code]) { layers[code].setStyle(SELECTED).bringToFront(); }
    document.querySelectorAll("[data-grid-code]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.gridCode === code));
    });
  }

  function open(code, url) {
    select(code);
    htmx.ajax("GET", url, { target: panel, swap: "innerHTML" }).then(function () {
      if (window.innerWidth < 900) { panel.scrollIntoView({ behavior: "smooth", block: "start" }); }
    });
  }

  function isOutline(feature) { return feature.properties.role === "outline"; }

  fetch(element.dataset.geojson, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (collection) {
      var outline = L.geoJSON(collection.features.filter(isOutline), { style: OUTLINE }).addTo(map);
      var grids = L.geoJSON(collection.features.filter(function (f) { return !isOutline(f); }), {
        style: STYLE,
        onEachFeature: function (feature, layer) {
          var properties = feature.properties;
          layers[properties.code] = layer;
          layer.bindTooltip(properties.name, { sticky: true });
          layer.on("click", function () { open(properties.code, properties.url); });
        }
      }).addTo(map);
      var bounds = outline.getBounds().isValid() ? outline.getBounds() : grids.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([0, 0], 1); }
      Object.keys(layers).forEach(function (code) { layers[code].getElement().setAttribute("data-code", code); });
      element.dataset.grids = String(Object.keys(layers).length);
      element.dataset.ready = "true";
    })
    .catch(function () {
      element.classList.add("map-failed");
      element.textContent = element.dataset.failed;
    });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-grid-code]");
    if (button) { select(button.dataset.gridCode); }
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    if (event.detail.target === panel) { panel.textContent = panel.dataset.failed; }
  });
  window.addEventListener("resize", function () { map.invalidateSize(); });
})();
