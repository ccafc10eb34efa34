/* Grid-event screens of the work front.

   The report form: "use my location" or a tap on the map of one's area (Leaflet, served
   locally; no tiles, only the area's outline) sets the point; each photo picked opens room for
   another; the caller's details show for hotline reports only. A draft of the fields (never the
   photos) is kept in the phone's storage as they are typed and filled in again when the form
   is opened; while the phone is offline the report is held and sent when the network returns.
   The event's page clears the draft once the report is in, and shows the event on a map.
   Texts come from the page's data attributes, in the page's language. */
(function () {
  "use strict";

  var AREA = { color: "#0b5cad", weight: 2, fillColor: "#4dabf7", fillOpacity: 0.15 };
  var POINT = { radius: 9, color: "#d9480f", weight: 3, fillColor: "#ff922b", fillOpacity: 0.8 };

  function areaMap(element) {
    if (!window.L) { return null; }
    try {
      var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
      var outline = element.dataset.area ? L.geoJSON(JSON.parse(element.dataset.area), { style: AREA, interactive: false }).addTo(map) : null;
      if (outline && outline.getBounds().isValid()) { map.fitBounds(outline.getBounds(), { padding: [12, 12] }); }
      window.addEventListener("resize", function () { map.invalidateSize(); });
      return map;
    } catch (error) {
      element.classList.add("map-failed");
      element.textContent = element.dataset.failed;
      return null;
    }
  }

  /* An event's page: its point in its grid. */
  var shown = document.getElementById("event-map");
  if (shown) {
    var eventMap = areaMap(shown);
    if (eventMap) {
      var at = [parseFloat(shown.dataset.latitude), parseFloat(shown.dataset.longitude)];
      L.circleMarker(at, POINT).addTo(eventMap);
      if (!shown.dataset.area) { eventMap.setView(at, 16); }
      shown.dataset.ready = "true";
    }
  }

  var cleared = document.querySelector("[data-clear-draft]");
  if (cleared) {
    try { window.localStorage.removeItem(cleared.dataset.clearDraft); } catch (error) { /* no storage */ }
  }

  var form = document.querySelector("form[data-draft]");
  if (!form) { return; }

  var latitude = form.querySelector("input[name=latitude]");
  var longitude = form.querySelector("input[name=longitude]");
  var locationStatus = form.querySelector("[data-location-status]");
  var draftStatus = form.querySelector("[data-draft-status]");
  var source = form.querySelector("select[name=source]");
  var caller = form.querySelector("[data-hotline-only]");
  var pickElement = document.getElementById("report-map");
  var pickMap = pickElement ? areaMap(pickElement) : null;
  var marker = null;

  function showPoint() {
    var lat = parseFloat(latitude.value);
    var lon = parseFloat(longitude.value);
    if (isNaN(lat) || isNaN(lon)) { return; }
    if (locationStatus) { locationStatus.textContent = locationStatus.dataset.pointText + ": " + longitude.value + ", " + latitude.value; }
    if (pickMap) {
      if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.circleMarker([lat, lon], POINT).addTo(pickMap); }
    }
  }

  function setPoint(lat, lon) {
    latitude.value = lat.toFixed(6);
    longitude.value = lon.toFixed(6);
    showPoint();
    save();
  }

  if (pickMap) {
    pickMap.on("click", function (event) { setPoint(event.latlng.lat, event.latlng.lng); });
    pickElement.dataset.ready = "true";
  }

  form.querySelectorAll("[data-locate]").forEach(function (button) {
    button.addEventListener("click", function () {
      function say(text) { if (locationStatus) { locationStatus.textContent = text; } }
      if (!navigator.geolocation) { say(button.dataset.failed); return; }
      say(button.dataset.locating);
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        button.disabled = false;
        setPoint(position.coords.latitude, position.coords.longitude);
        if (pickMap) { pickMap.setView([position.coords.latitude, position.coords.longitude], Math.max(pickMap.getZoom(), 15)); }
      }, function () {
        button.disabled = false;
        say(button.dataset.failed);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  });

  function toggleCaller() {
    if (source && caller) { caller.hidden = source.value !== "hotline"; }
  }
  if (source) { source.addEventListener("change", toggleCaller); }

  /* The draft: the fields' values, in this phone's storage. */
  var key = form.dataset.draft;
  var held = false;

  function kept(element) {
    return element.name && element.name !== "csrfmiddlewaretoken" &&
      ["file", "submit", "button", "reset"].indexOf(element.type) === -1;
  }

  function say(text, held) {
    if (!draftStatus) { return; }
    draftStatus.textContent = text;
    draftStatus.classList.toggle("held", Boolean(held));
  }

  function save(quiet) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (kept(element)) { values[element.name] = element.value; }
    });
    try {
      window.localStorage.setItem(key, JSON.stringify({ fields: values, saved: new Date().toISOString() }));
    } catch (error) { return; }
    if (!held && quiet !== true) { say(form.dataset.savedText); }
  }

  function restore() {
    var stored = null;
    try { stored = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (error) { stored = null; }
    if (!stored || !stored.fields) { return; }
    Array.prototype.forEach.call(form.elements, function (element) {
      if (kept(element) && Object.prototype.hasOwnProperty.call(stored.fields, element.name)) {
        element.value = stored.fields[element.name];
      }
    });
    showPoint();
    say(form.dataset.restoredText);
  }

  if (form.dataset.bound !== "true") { restore(); }
  toggleCaller();
  form.addEventListener("input", function () { save(); });
  form.addEventListener("change", function () { save(); });

  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false) {
      event.preventDefault();
      held = true;
      save(true);
      form.dataset.held = "true";
      say(form.dataset.heldText, true);
      return;
    }
    held = false;
    form.dataset.held = "false";
    save(true);
  });

  window.addEventListener("online", function () {
    if (!held) { return; }
    held = false;
    say(form.dataset.sendingText);
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  });
})();
