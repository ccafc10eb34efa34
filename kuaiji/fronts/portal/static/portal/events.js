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

})();
