/* Citizens' report form: "use my location" fills the hidden coordinates from the phone, and
   each photo picked opens room for another (up to the most a report may carry). Texts come from
   the page's data attributes, in the page's language. */
(function () {
  "use strict";

  function locate(button) {
    var form = button.form;
    var status = form.querySelector("[data-location-status]");
    var latitude = form.querySelector("input[name=latitude]");
    var longitude = form.querySelector("input[name=longitude]");
    function say(text) { if (status) { status.textContent = text; } }
    if (!navigator.geolocation) { say(button.dataset.failed); return; }
    say(button.dataset.locating);
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      latitude.value = position.coords.latitude.toFixed(6);
      longitude.value = position.coords.longitude.toFixed(6);
      button.disabled = false;
      say(button.dataset.located);
      form.dispatchEvent(new CustomEvent("kuaiji:located", { bubbles: true }));
    }, function () {
      button.disabled = false;
      say(button.dataset.failed);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  document.querySelectorAll("[data-locate]").forEach(function (button) {
    button.addEventListener("click", function () { locate(button); });
  });

  /* Phones take one picture per input when the camera opens: add an empty input after each
     one filled, while fewer photos than the limit are chosen. */
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
