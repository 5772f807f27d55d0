// Draw the transparency page's charts from the figures it carries as JSON (no inline script).
// Every chart has a table of the same figures beside it; a hidden figure is a gap (null).
(function () {
  "use strict";
  var root = document.documentElement;

  // Tables run oldest to newest; start each scrolled to its newest months (its end), which is
  // what a visitor comes for. In right-to-left pages the end is at a negative scrollLeft.
  Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
    wrap.scrollLeft = (root.dir === "rtl" ? -1 : 1) * wrap.scrollWidth;
  });

  var source = document.getElementById("chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var figures = JSON.parse(source.textContent);
  var rtl = root.dir === "rtl";
  var colours = ["#0b5cad", "#a4161a", "#17663a", "#8a4b08", "#5b2a86", "#00727a"];

  function draw(id, data, kind) {
    var canvas = document.getElementById(id);
    if (!canvas || !data || !data.series.length) {
      return;
    }
    var datasets = data.series.map(function (series, i) {
      var colour = colours[i % colours.length];
      return { label: series.label, data: series.data, borderColor: colour, backgroundColor: colour };
    });
    new window.Chart(canvas, {
      type: kind,
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: root.lang,
        plugins: {
          legend: { position: "bottom", rtl: rtl, textDirection: root.dir },
          tooltip: { rtl: rtl, textDirection: root.dir }
        },
        scales: {
          x: { reverse: rtl },
          y: { beginAtZero: true, position: rtl ? "right" : "left" }
        }
      }
    });
  }

  draw("chart-responses", figures.responses, "bar");
  draw("chart-scores", figures.scores, "line");
})();
