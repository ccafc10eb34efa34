/* Cockpit screen: live clock and the county map (ECharts, served locally). */
(function () {
  "use strict";
  var clock = document.getElementById("cockpit-clock");
  var lang = document.documentElement.lang || "zh-CN";
  function tick() {
    clock.textContent = new Date().toLocaleString(lang, { hour12: false, timeZone: clock.dataset.timeZone });
  }
  if (clock) { tick(); setInterval(tick, 1000); }

  var element = document.getElementById("city-map");
  if (!element || !window.echarts) { return; }
  var chart = echarts.init(element, "dark", { renderer: "canvas" });
  fetch(element.dataset.geojson)
    .then(function (response) { return response.json(); })
    .then(function (geojson) {
      var name = element.dataset.mapName;
      echarts.registerMap(name, geojson);
      chart.setOption({
        backgroundColor: "transparent",
        tooltip: { trigger: "item", formatter: "{b}" },
        series: [{
          type: "map", map: name, roam: true, selectedMode: "single",
          nameProperty: lang.indexOf("en") === 0 ? "name_en" : "name",
          label: { show: true, color: "#d6e4ff" },
          itemStyle: { areaColor: "#0d3b7a", borderColor: "#5cc8ff", borderWidth: 1 },
          emphasis: { itemStyle: { areaColor: "#1670c9" }, label: { color: "#fff" } },
          data: geojson.features.map(function (f) {
            return { name: lang.indexOf("en") === 0 ? f.properties.name_en : f.properties.name };
          })
        }]
      });
      element.dataset.ready = "true";
    });
  window.addEventListener("resize", function () { chart.resize(); });
})();
