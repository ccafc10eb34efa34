/* The cockpit ("一屏掌控"): clock, map drill-down (city › county › township › grid), counters
 * with the day-before change and 30-day trends, red lights and rankings, for the region drilled
 * into. Every figure comes from the JSON endpoints named in #cockpit-config; they are polled
 * every minute and on each drill-down, keeping the map as it is. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "zh-CN";
  var english = lang.indexOf("en") === 0;

  var clock = document.getElementById("cockpit-clock");
  function tick() {
    clock.textContent = new Date().toLocaleString(lang, { hour12: false, timeZone: clock.dataset.timeZone });
  }
  if (clock) { tick(); setInterval(tick, 1000); }

  var root = document.getElementById("cockpit");
  var configElement = document.getElementById("cockpit-config");
  if (!root || !configElement) { return; }
  var config = JSON.parse(configElement.textContent);
  var text = config.text;
  var urls = config.urls;
  var SVG = "http://www.w3.org/2000/svg";

  var state = {
    path: config.start ? [config.start] : [], // regions drilled into, from the widest
    grid: null, // the grid chosen inside a township: {code, name, events}
    rows: {}, // the current map's regions or grids by code
    mapKey: "",
    boardGeneration: 0, // answers of an older refresh are dropped
    mapGeneration: 0
  };

  function $(id) { return document.getElementById(id); }
  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined && content !== null) { node.textContent = content; }
    return node;
  }
  function label(item) { return english && item.name_en ? item.name_en : item.name; }
  function current() { return state.path[state.path.length - 1]; }
  function atGrids() { return current() && current().level === "township"; }
  function withQuery(url, name, value) {
    return url + (url.indexOf("?") < 0 ? "?" : "&") + name + "=" + encodeURIComponent(value);
  }
  /* One request at a time: every request saves the session, and a small database (SQLite)
   * refuses concurrent writers. An answer that is not 2xx (e.g. a 404 of an API not yet
   * mounted) counts as nothing. */
  var queue = Promise.resolve(null);
  function getJSON(url) {
    if (!url) { return Promise.resolve(null); }
    var answer = queue.then(function () {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).catch(function () { return null; });
    queue = answer;
    return answer;
  }

  /* Links: the longest prefix of the table the page was given wins. */
  function linkFor(code) {
    var best = null;
    config.links.forEach(function (link) {
      if (code.indexOf(link.prefix) === 0 && (!best || link.prefix.length > best.prefix.length)) { best = link; }
    });
    if (!best || !best.url) { return ""; }
    return best.by_region && current() ? withQuery(best.url, config.region_parameter, current().code) : best.url;
  }
  function refreshLinks() {
    root.querySelectorAll("[data-link]").forEach(function (anchor) {
      var href = linkFor(anchor.dataset.link);
      if (href) { anchor.href = href; } else { anchor.removeAttribute("href"); }
    });
  }

  /* Numbers */
  function format(value, unit) {
    if (value === null || value === undefined) { return text.none; }
    if (unit === "ratio") { return (value * 100).toFixed(1) + "%"; }
    return value.toLocaleString(lang, { maximumFractionDigits: 1 });
  }
  function change(row) {
    if (row.value === null || row.previous === null) { return { text: text.none, sign: "flat" }; }
    var delta = row.value - row.previous;
    var sign = delta > 0 ? "up" : delta < 0 ? "down" : "flat";
    var shown = row.unit === "ratio"
      ? (delta * 100).toFixed(1) + " " + text.points
      : delta.toLocaleString(lang, { maximumFractionDigits: 1 });
    return { text: (delta > 0 ? "+" : "") + shown, sign: sign };
  }
  function dayIndex(start, period) {
    return Math.round((Date.parse(period) - Date.parse(start)) / 86400000);
  }
  function sparkline(points, start, end) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "trend");
    svg.setAttribute("viewBox", "0 0 100 30");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("aria-hidden", "true");
    if (!points.length) { return svg; }
    var span = Math.max(dayIndex(start, end), 1);
    var values = points.map(function (point) { return point.value; });
    var low = Math.min.apply(null, values);
    var high = Math.max.apply(null, values);
    var line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", points.map(function (point) {
      var x = (dayIndex(start, point.period) / span) * 100;
      var y = high === low ? 15 : 28 - ((point.value - low) / (high - low)) * 26;
      return x.toFixed(2) + "," + y.toFixed(2);
    }).join(" "));
    line.setAttribute("vector-effect", "non-scaling-stroke");
    svg.appendChild(line);
    return svg;
  }

  /* Counters, from the metrics board of the region */
  function renderBoard(board) {
    root.querySelectorAll("ul.counters").forEach(function (list) {
      var prefix = list.dataset.prefix;
      var rows = board ? board.indicators.filter(function (row) { return row.code.indexOf(prefix) === 0; }) : [];
      list.replaceChildren();
      if (!rows.length) {
        var empty = el("li", "counter empty");
        empty.append(el("span", "counter-name muted", text.no_figures), el("span", "counter-value", text.none));
        list.appendChild(empty);
        return;
      }
      rows.forEach(function (row) {
        var item = el("li", "counter");
        item.dataset.code = row.code;
        item.dataset.value = row.value === null ? "" : String(row.value);
        item.dataset.previous = row.previous === null ? "" : String(row.previous);
        var anchor = el("a");
        anchor.dataset.link = row.code;
        var delta = change(row);
        var changed = el("span", "counter-change " + delta.sign, delta.text);
        changed.title = text.day_before;
        var value = el("span", "counter-value", format(row.value, row.unit));
        anchor.append(el("span", "counter-name", label(row)), value, changed, sparkline(row.points, board.start, board.end));
        anchor.title = label(row) + " · " + text.trend;
        item.appendChild(anchor);
        list.appendChild(item);
      });
    });
    root.dataset.board = board ? board.region : "";
  }

  /* Red lights and rankings */
  function renderSupervision(summary) {
    var counts = summary && summary.counts;
    root.querySelectorAll("#cockpit-lights [data-light]").forEach(function (light) {
      var value = counts ? counts[light.dataset.light] : null;
      light.textContent = (text[light.dataset.light] || "") + " " + (value === null || value === undefined ? text.none : value);
    });
    var list = $("cockpit-alert-list");
    list.replaceChildren();
    var alerts = (summary && summary.alerts) || [];
    if (!alerts.length) { list.appendChild(el("li", "muted", text.no_alerts)); }
    alerts.forEach(function (alert) {
      var item = el("li", "alert");
      var anchor = el("a");
      if (alert.link) { anchor.href = alert.link; }
      anchor.append(el("span", "light red"), el("span", "alert-kind", alert.label), el("span", "alert-title", alert.title),
        el("span", "alert-unit muted", [alert.unit, alert.region].filter(Boolean).join(" · ")));
      if (alert.due_at) {
        anchor.appendChild(el("span", "alert-due", text.due + " " + new Date(alert.due_at).toLocaleDateString(lang)));
      }
      item.appendChild(anchor);
      list.appendChild(item);
    });
    var units = (summary && summary.by_unit) || [];
    $("cockpit-units-box").hidden = !units.length;
    renderRanking($("cockpit-units"), units.slice(0, 8).map(function (row) {
      return { name: row.unit, figure: text.red + " " + row.red + " · " + text.yellow + " " + row.yellow + " · " + text.open + " " + row.open };
    }));
  }
  function renderRanking(list, rows) {
    list.replaceChildren();
    if (!rows.length) { list.appendChild(el("li", "muted", text.no_ranking)); }
    rows.forEach(function (row) {
      var item = el("li");
      item.append(el("span", "rank-name", row.name), el("span", "rank-figure", row.figure));
      list.appendChild(item);
    });
  }
  function renderQuality(ranking) {
    renderRanking($("cockpit-quality"), (ranking || []).slice(0, 8).map(function (row) {
      return { name: row.name, figure: row.score === null ? text.none : row.score.toFixed(1) };
    }));
  }

  /* The map and its list */
  var mapElement = $("city-map");
  var chart = window.echarts && mapElement ? window.echarts.init(mapElement, "dark", { renderer: "canvas" }) : null;
  var indicatorChoice = $("cockpit-indicator");
  var shapes = {};

  function loadShape(key, url) {
    if (shapes[key]) { return Promise.resolve(shapes[key]); }
    return getJSON(url).then(function (geojson) {
      if (geojson && chart) { window.echarts.registerMap(key, geojson); shapes[key] = geojson; }
      return geojson;
    });
  }
  function mapSource() {
    var place = current();
    if (atGrids()) {
      return { key: "grids:" + place.code, url: withQuery(urls.grids_geojson, "region", place.code) };
    }
    return { key: "regions:" + place.code, url: withQuery(urls.regions_geojson, "parent", place.code) };
  }
  function mapValues() {
    var place = current();
    if (atGrids()) {
      return getJSON(urls.heat ? withQuery(urls.heat, "region", place.code) : "").then(function (heat) {
        return { unit: "events", rows: heat ? heat.grids.map(function (grid) {
          return { code: grid.code, name: grid.name, name_en: "", value: grid.events };
        }) : [] };
      });
    }
    if (!indicatorChoice) { return Promise.resolve({ unit: "", rows: [] }); }
    var url = urls.children.replace(config.code_placeholder, encodeURIComponent(indicatorChoice.value));
    return getJSON(withQuery(url, "parent", place.code)).then(function (found) {
      return found ? { unit: found.unit, rows: found.regions, day: found.day } : { unit: "", rows: [] };
    });
  }
  function fontSize() { return parseFloat(getComputedStyle(document.body).fontSize) || 14; }

  function renderList(values) {
    var list = $("cockpit-regions");
    list.replaceChildren();
    values.rows.forEach(function (row) {
      var item = el("li");
      item.dataset.code = row.code;
      var button = el("button");
      button.type = "button";
      button.dataset.code = row.code;
      if (state.grid && state.grid.code === row.code) { button.setAttribute("aria-pressed", "true"); }
      button.dataset.value = row.value === null ? "" : String(row.value);
      button.append(el("span", "region-name", label(row)), el("span", "region-value", format(row.value, values.unit)));
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function renderMap(source, values) {
    var names = {};
    var numbers = [];
    values.rows.forEach(function (row) {
      names[row.code] = label(row);
      if (row.value !== null) { numbers.push(row.value); }
    });
    var size = fontSize();
    var high = numbers.length ? Math.max.apply(null, numbers) : 1;
    var low = numbers.length ? Math.min.apply(null, numbers) : 0;
    if (high === low) { low = Math.min(0, low); high = low === high ? high + 1 : high; }
    var heat = atGrids();
    var option = {
      backgroundColor: "transparent",
      tooltip: {
        trigger: "item",
        textStyle: { fontSize: size },
        formatter: function (params) {
          return (names[params.name] || params.name) + "<br>" + format(isNaN(params.value) ? null : params.value, values.unit);
        }
      },
      visualMap: {
        type: "continuous", min: low, max: high,
        orient: "horizontal", left: "center", bottom: 0, itemWidth: size * 0.9, itemHeight: size * 12,
        text: [format(high, values.unit), format(low, values.unit)], calculable: false,
        textStyle: { color: "#d6e4ff", fontSize: size * 0.85 },
        formatter: function (value) { return format(value, values.unit); },
        inRange: { color: heat ? ["#1b3a5c", "#f6c445", "#ff4d4f"] : ["#0d3b7a", "#1f8ad6", "#5ce1ff"] }
      },
      series: [{
        id: "areas", type: "map", map: source.key, nameProperty: "code", roam: true, selectedMode: false,
        layoutCenter: ["50%", "46%"], layoutSize: "90%",
        label: { show: true, color: "#ffffff", fontSize: size * 0.85, formatter: function (params) { return names[params.name] || ""; } },
        itemStyle: { areaColor: "#123a6b", borderColor: "#5cc8ff", borderWidth: 1 },
        emphasis: { itemStyle: { areaColor: "#2a7fd4" }, label: { color: "#fff" } },
        data: values.rows.map(function (row) {
          var item = { name: row.code, value: row.value === null ? NaN : row.value };
          if (state.grid && state.grid.code === row.code) {
            item.itemStyle = { borderColor: "#ffffff", borderWidth: 3 };
          }
          return item;
        })
      }]
    };
    if (state.mapKey === source.key) {
      chart.setOption({ visualMap: option.visualMap, series: [{ id: "areas", data: option.series[0].data, label: option.series[0].label }] });
    } else {
      chart.setOption(option, true);
      state.mapKey = source.key;
    }
  }

  function drawMap(generation) {
    if (!current()) { return Promise.resolve(); }
    var source = mapSource();
    mapElement.dataset.geojson = source.url;
    return Promise.all([loadShape(source.key, source.url), mapValues()]).then(function (found) {
      if (generation !== state.mapGeneration) { return; }
      var values = found[1];
      state.rows = {};
      values.rows.forEach(function (row) { state.rows[row.code] = row; });
      if (state.grid && state.rows[state.grid.code]) {
        state.grid = { code: state.grid.code, name: state.rows[state.grid.code].name, events: state.rows[state.grid.code].value };
      }
      renderList(values);
      renderGrid();
      if (chart && found[0]) { renderMap(source, values); }
      if (indicatorChoice) { indicatorChoice.closest("label").hidden = atGrids(); }
      $("cockpit-map-caption").textContent = values.day ? "(" + values.day + ")" : (atGrids() ? "(" + text.events_30 + ")" : "");
      mapElement.dataset.shown = source.key;
      mapElement.dataset.ready = "true";
    });
  }

  function renderGrid() {
    var card = $("cockpit-grid");
    card.hidden = !state.grid;
    card.dataset.code = state.grid ? state.grid.code : "";
    if (!state.grid) { return; }
    $("cockpit-grid-name").textContent = state.grid.name;
    var events = $("cockpit-grid-events");
    events.textContent = format(state.grid.events, "events");
    events.dataset.value = String(state.grid.events);
  }

  function renderCrumbs() {
    var list = $("cockpit-crumbs");
    list.replaceChildren();
    var items = state.path.map(function (place) { return { code: place.code, name: label(place) }; });
    if (state.grid) { items.push({ code: state.grid.code, name: state.grid.name }); }
    items.forEach(function (item, index) {
      var entry = el("li");
      entry.dataset.code = item.code;
      if (index === items.length - 1) {
        var here = el("span", "", item.name);
        here.setAttribute("aria-current", "location");
        entry.appendChild(here);
      } else {
        var back = el("button", "", item.name);
        back.type = "button";
        back.dataset.depth = String(index);
        entry.appendChild(back);
      }
      list.appendChild(entry);
    });
    $("cockpit-title").textContent = items.length ? items[items.length - 1].name : "";
  }

  /* Refresh everything shown for the region (the map's shape is fetched once per region). */
  function refresh() {
    if (!current()) { return Promise.resolve(); }
    state.boardGeneration += 1;
    state.mapGeneration += 1;
    var generation = state.boardGeneration;
    var code = current().code;
    renderCrumbs();
    refreshLinks();
    return Promise.all([
      getJSON(withQuery(urls.board, "region", code)),
      getJSON(urls.supervision ? withQuery(urls.supervision, "region", code) : ""),
      getJSON(urls.ranking),
      drawMap(state.mapGeneration)
    ]).then(function (found) {
      if (generation !== state.boardGeneration) { return; }
      renderBoard(found[0]);
      renderSupervision(found[1]);
      renderQuality(found[2]);
      refreshLinks();
      $("cockpit-updated").textContent = text.updated + " " + new Date().toLocaleTimeString(lang, { hour12: false });
      root.dataset.shown = code;
    });
  }

  function choose(code) {
    var row = state.rows[code];
    if (!row) { return; }
    if (atGrids()) {
      state.grid = { code: row.code, name: row.name, events: row.value };
      renderCrumbs();
      renderGrid();
      state.mapGeneration += 1;
      drawMap(state.mapGeneration).then(function () { root.dataset.grid = row.code; });
      return;
    }
    state.path.push({ code: row.code, name: row.name, name_en: row.name_en, level: row.level });
    state.grid = null;
    root.dataset.grid = "";
    refresh();
  }

  $("cockpit-regions").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-code]");
    if (button) { choose(button.dataset.code); }
  });
  $("cockpit-crumbs").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-depth]");
    if (!button) { return; }
    state.path = state.path.slice(0, Number(button.dataset.depth) + 1);
    state.grid = null;
    root.dataset.grid = "";
    refresh();
  });
  if (indicatorChoice) {
    indicatorChoice.addEventListener("change", function () {
      state.mapGeneration += 1;
      drawMap(state.mapGeneration);
    });
  }
  if (chart) {
    chart.on("click", function (params) { if (params.name) { choose(params.name); } });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  refresh();
  setInterval(refresh, config.poll_seconds * 1000);
})();
