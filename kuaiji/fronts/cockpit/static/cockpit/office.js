// The office screen's clock, in the city's time zone.
(function () {
  "use strict";
  var clock = document.getElementById("cockpit-clock");
  if (!clock) { return; }
  var zone = clock.getAttribute("data-time-zone") || undefined;
  function tick() {
    var now = new Date();
    try {
      clock.textContent = now.toLocaleString(document.documentElement.lang || undefined, { timeZone: zone, hour12: false });
    } catch (error) {
      clock.textContent = now.toLocaleString();
    }
    clock.setAttribute("datetime", now.toISOString());
  }
  tick();
  window.setInterval(tick, 1000);
})();
