/* Dashboard charts with Apache ECharts (webapp/static/vendor/echarts.min.js, copied from the npm package by
   scripts/setup). The data comes from the JSON block the server rendered; without ECharts the page shows a
   message and the figures stay readable. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source) { return; }
  if (typeof window.echarts === "undefined") {
    var missing = document.querySelector("[data-testid=charts-missing]");
    if (!missing) {
      var failed = document.querySelector("[data-testid=charts-failed]");
      if (failed) { failed.hidden = false; }
    }
    document.querySelectorAll(".chart-box").forEach(function (box) { box.hidden = true; });
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = { green: "#2f855a", yellow: "#b7791f", red: "#c81e1e" };
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }

  draw("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.trend.days.map(function (d) { return data.trend.by === "month" ? d : d.slice(5); }) },
    yAxis: { type: "value", minInterval: 1 },
    series: data.trend.series.map(function (s) { return { name: s.name, type: "line", data: s.data, smooth: true }; })
  });
  draw("chart-categories", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 60 },
    xAxis: { type: "category", data: data.categories.names, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.categories.labels[0], type: "bar", data: data.categories.received },
      { name: data.categories.labels[1], type: "bar", data: data.categories.completed }
    ]
  });
  draw("chart-campuses", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 40 },
    xAxis: { type: "category", data: data.campuses.names, axisLabel: { interval: 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.campuses.labels[0], type: "bar", data: data.campuses.received },
      { name: data.campuses.labels[1], type: "bar", data: data.campuses.completed }
    ]
  });
  draw("chart-colours", {
    tooltip: { trigger: "item" },
    legend: { bottom: 0, type: "scroll" },
    series: [{
      type: "pie", radius: ["35%", "65%"], top: 0, bottom: 30,
      data: data.colours.data.map(function (d, i) {
        return { name: d.name, value: d.value,
                 itemStyle: { color: palette[d.colour], opacity: i < 3 ? 1 : 0.55 } };
      }).filter(function (d) { return d.value > 0; })
    }]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
