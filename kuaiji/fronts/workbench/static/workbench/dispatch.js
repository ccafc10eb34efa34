/* The dispatch console of the work front.

   The map (Leaflet, served locally; no tiles, only the township's or county's outline) shows a
   marker for each point where waiting events were reported (with their count when several
   share it), coloured by the most urgent; its popup links to the events. The table's rows
   are ticked one by one or all at once, and the count of those ticked is said beside the
   actions. Texts come from the page's data attributes, in the page's language. */
(function () {
  "use strict";

  var AREA = { color: "#0b5cad", weight: 2, fillColor: "#4dabf7", fillOpacity: 0.1 };

  /* One popup for the events at one point: each one's number (a link to it), kind and step. */
  function popup(points, openText) {
    var box = document.createElement("div");
    box.className = "dispatch-popup";
    points.forEach(function (point) {
      var item = document.createElement("p");
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.number;
      link.title = openText;
      item.appendChild(link);
      item.appendChild(document.createElement("br"));
      item.appendChild(document.createTextNode(point.category + " · " + point.step));
      box.appendChild(item);
    });
    return box;
  }

  /* Events reported at the same point share a marker, which says how many they are. */
  function byPlace(points) {
    var places = {};
    var order = [];
    points.forEach(function (point) {
      var key = point.lat + "," + point.lon;
      if (!places[key]) { places[key] = []; order.push(key); }
      places[key].push(point);
    });
    return order.map(function (key) { return places[key]; });
  }

  var RANK = { normal: 0, urgent: 1, critical: 2 };

  function mostUrgent(points) {
    return points.reduce(function (most, point) {
      return (RANK[point.urgency] || 0) > (RANK[most] || 0) ? point.urgency : most;
    }, "normal");
  }

  function drawMap(element) {
    if (!window.L) { return; }
    try {
      var points = JSON.parse(element.dataset.points || "[]");
      var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
      var outline = element.dataset.area ? L.geoJSON(JSON.parse(element.dataset.area), { style: AREA, interactive: false }).addTo(map) : null;
      var markers = byPlace(points).map(function (here) {
        var first = here[0];
        var many = here.length > 1;
        var icon = L.divIcon({
          className: "dispatch-marker dispatch-marker-" + mostUrgent(here) + (many ? " dispatch-marker-many" : ""),
          html: many ? String(here.length) : "",
          iconSize: many ? [24, 24] : [16, 16]
        });
        var names = here.map(function (point) { return point.number; }).join(", ");
        return L.marker([first.lat, first.lon], { icon: icon, title: names, alt: names })
          .bindPopup(popup(here, element.dataset.openText))
          .addTo(map);
      });
      var bounds = markers.length ? L.featureGroup(markers).getBounds() : (outline ? outline.getBounds() : null);
      if (bounds && bounds.isValid()) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
      } else {
        map.setView([30, 120], 8);
      }
      window.addEventListener("resize", function () { map.invalidateSize(); });
      element.dataset.ready = "true";
    } catch (error) {
      element.classList.add("map-failed");
      element.textContent = element.dataset.failed;
    }
  }

  var mapElement = document.getElementById("dispatch-map");
  if (mapElement) { drawMap(mapElement); }

  var form = document.querySelector(".dispatch-form");
  if (!form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=events]"));
  var all = form.querySelector("[data-choose-all]");
  var said = form.querySelector("[data-chosen]");

  function update() {
    var chosen = 0;
    boxes.forEach(function (box) {
      var row = box.closest("tr");
      if (row) { row.classList.toggle("chosen", box.checked); }
      if (box.checked) { chosen += 1; }
    });
    if (all) {
      all.checked = chosen > 0 && chosen === boxes.length;
      all.indeterminate = chosen > 0 && chosen < boxes.length;
    }
    if (said) { said.textContent = chosen ? said.dataset.chosenText + ": " + chosen : ""; }
  }

  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
