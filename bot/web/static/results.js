/* Draw the results dashboard's charts with Chart.js from the JSON blocks beside each canvas.
   No inline script: the strict Content-Security-Policy allows only files from Parley. Each
   chart's figures are also in the table under it, for screen readers and for copying. */
(function () {
  "use strict";
  var PALETTE = ["#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490",
    "#a16207", "#4d7c0f", "#be185d", "#334155", "#9333ea"];

  function draw(block) {
    var canvas = document.getElementById(block.getAttribute("data-canvas"));
    if (!canvas || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(block.textContent);
    var rtl = document.documentElement.dir === "rtl";
    spec.datasets.forEach(function (set, i) {
      set.backgroundColor = PALETTE[i % PALETTE.length];
      set.borderColor = PALETTE[i % PALETTE.length];
      set.spanGaps = true;
    });
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: document.documentElement.lang || "en",
        plugins: { legend: { display: spec.datasets.length > 1, rtl: rtl } },
        scales: {
          x: { stacked: spec.stacked, reverse: rtl },
          y: { stacked: spec.stacked, beginAtZero: true }
        }
      }
    });
  }

  function start() {
    var blocks = document.querySelectorAll("script.chart-data");
    for (var i = 0; i < blocks.length; i += 1) { draw(blocks[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
