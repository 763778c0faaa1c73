// When the tile server cannot be reached (tile errors, or no tile at all a while after the map is ready), the map
// draws the communes' names from the site's own territory data (/carte/communes/), so a resident still finds a
// town. The territory data has a centre point per commune and no outline: names only, at their centres.
// The state is on the map's element for tests and styles: data-tiles-fallback = "off" | "loading" | "ready" | "error".
(function () {
  "use strict";
  var app = document.querySelector(".map-app");
  if (!app || !app.dataset.communesUrl) return;
  var strings = JSON.parse(document.getElementById("map-strings").textContent);
  var NO_TILE_MS = 8000; // a tile server that answers nothing at all for this long is taken as down
  var ERRORS_WITH_LOADS = 4; // a few failed tiles among loaded ones are a flaky network, not a dead server

  app.addEventListener("mapready", function (event) {
    var map = event.detail;
    var container = map.getContainer();
    var loads = 0;
    var errors = 0;
    var started = false;
    container.dataset.tilesFallback = "off";

    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer)) return;
      layer.on("tileload", function () { loads += 1; });
      layer.on("tileerror", function () {
        errors += 1;
        if (loads === 0 || errors >= ERRORS_WITH_LOADS) start();
      });
    });
    window.setTimeout(function () { if (loads === 0) start(); }, NO_TILE_MS);

    function start() {
      if (started) return;
      started = true;
      container.classList.add("is-tiles-fallback");
      var notice = L.control({ position: "topright" });
      notice.onAdd = function () {
        var box = L.DomUtil.create("p", "map-tiles-notice");
        box.setAttribute("role", "status");
        box.textContent = strings.tilesFallback;
        return box;
      };
      notice.addTo(map);
      // Under the markers, over the (empty) tiles; names never catch a click meant for the map.
      map.createPane("communes").style.zIndex = 250;
      map.getPane("communes").style.pointerEvents = "none";
      var names = L.layerGroup().addTo(map);
      var controller = null;

      function label(feature) {
        var text = document.createElement("span");
        text.className = "map-commune__name";
        text.textContent = feature.properties.nom; // text, never HTML: the names are data
        var c = feature.geometry.coordinates;
        return L.marker([c[1], c[0]], {
          icon: L.divIcon({ className: "map-commune", html: text, iconSize: null }),
          interactive: false, keyboard: false, pane: "communes"
        });
      }

      // The answer comes most populated first: a name that would overlap one already shown is left out, so the
      // larger towns stay readable at low zooms.
      function declutter() {
        var shown = [];
        names.eachLayer(function (marker) {
          var text = marker.getElement().firstChild;
          var box = text.getBoundingClientRect();
          var overlaps = shown.some(function (other) {
            return box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom;
          });
          if (overlaps) text.style.display = "none";
          else shown.push(box);
        });
      }

      function load() {
        if (controller) controller.abort();
        controller = new AbortController();
        var b = map.getBounds();
        var query = new URLSearchParams({
          bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (n) { return n.toFixed(4); }).join(","),
          zoom: String(map.getZoom())
        });
        container.dataset.tilesFallback = "loading";
        fetch(app.dataset.communesUrl + "?" + query.toString(), { signal: controller.signal })
          .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
          .then(function (data) {
            names.clearLayers();
            data.features.forEach(function (feature) { names.addLayer(label(feature)); });
            declutter();
            container.dataset.tilesFallback = "ready";
          })
          .catch(function (error) { if (error.name !== "AbortError") container.dataset.tilesFallback = "error"; });
      }

      map.on("moveend", load);
      load();
    }
  });
})();
