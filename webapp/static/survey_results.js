/* A survey's result charts with ECharts: one bar chart per question with answers to count (options, stars, 0–10).
   The counts are also in the tables beside the charts, so the page reads without the library. */
(function () {
  "use strict";
  var source = document.getElementById("survey-charts");
  if (!source || typeof window.echarts === "undefined") {
    document.querySelectorAll(".chart-box").forEach(function (box) { box.hidden = true; });
    return;
  }
  var charts = JSON.parse(source.textContent).map(function (c) {
    var el = document.getElementById(c.id);
    if (!el) { return null; }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: c.labels, axisLabel: { interval: 0, rotate: c.labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: c.counts, itemStyle: { color: "#2b6cb0" } }]
    });
    return chart;
  }).filter(Boolean);
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
}());
