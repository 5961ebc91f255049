// MagicDistill console: the only script of the pages (CSP script-src 'self', no inline script).
(function () {
  "use strict";

  // CSRF header on every htmx request, from the meta tags the layout writes.
  document.addEventListener("htmx:configRequest", function (e) {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      e.detail.headers[header.content] = token.content;
    }
  });

  // Forms marked data-once submit once (a double click launches one run).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute && form.hasAttribute("data-once")) {
      if (form.dataset.submitted) {
        e.preventDefault();
        return;
      }
      form.dataset.submitted = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }
  }, true);

  // Sample clips: the GIF when the browser cannot play the MP4.
  function gifFallback(video) {
    var gif = video.getAttribute("data-gif");
    if (!gif || video.dataset.fallback) { return; }
    var source = video.querySelector("source");
    var type = source ? source.getAttribute("type") : "video/mp4";
    var swap = function () {
      if (video.dataset.fallback) { return; }
      video.dataset.fallback = "1";
      var img = document.createElement("img");
      img.src = gif;
      img.alt = "sample clip (GIF)";
      img.setAttribute("data-testid", "sample-gif");
      video.replaceWith(img);
    };
    if (video.canPlayType(type) === "") { swap(); return; }
    if (source) { source.addEventListener("error", swap); }
    video.addEventListener("error", swap);
  }

  function syncPlay() {
    var videos = document.querySelectorAll("video");
    videos.forEach(function (v) { v.pause(); v.currentTime = 0; });
    videos.forEach(function (v) { var p = v.play(); if (p && p.catch) { p.catch(function () {}); } });
  }

  var palette = ["#3d5afe", "#e8590c", "#12805c", "#c2255c", "#7048e8", "#0b7285", "#5c940d", "#862e9c"];

  function drawChart(el) {
    if (el.dataset.drawn || typeof uPlot === "undefined") { return; }
    el.dataset.drawn = "1";
    fetch(el.getAttribute("data-series-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        var series = [{ label: "step" }];
        var data = [d.x];
        d.series.forEach(function (s, i) {
          series.push({ label: s.label, stroke: palette[i % palette.length], width: 1.5, spanGaps: true });
          data.push(s.y);
        });
        var width = Math.max(320, el.clientWidth - 8);
        new uPlot({ width: width, height: 220, series: series, scales: { x: { time: false } },
                    axes: [{ label: "step" }, {}] }, data, el);
        el.setAttribute("data-points", String(d.x.length));
      })
      .catch(function () { el.setAttribute("data-error", "1"); });
  }

  function init(root) {
    root.querySelectorAll("video[data-gif]").forEach(gifFallback);
    root.querySelectorAll("[data-series-url]").forEach(drawChart);
    root.querySelectorAll("[data-sync-play]").forEach(function (b) {
      if (!b.dataset.bound) { b.dataset.bound = "1"; b.addEventListener("click", syncPlay); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
})();
