// Territory pages: draw the QPV perimeters given inline (#territory-map-data) on the django-leaflet map.
(function () {
  "use strict";
  window.territoryMapInit = function (map) {
    var node = document.getElementById("territory-map-data");
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    L.geoJSON(data.qpv, {
      style: { color: "#b34000", weight: 2, fillColor: "#b34000", fillOpacity: 0.25 },
      onEachFeature: function (feature, layer) {
        // An element, not a string: Leaflet would parse a string as HTML.
        var label = document.createElement("span");
        label.textContent = feature.properties.name + " (" + feature.properties.code + ")";
        layer.bindTooltip(label);
      }
    }).addTo(map);
    map.fitBounds(data.bounds, { padding: [16, 16], maxZoom: 15 });
    map.getContainer().setAttribute("data-ready", "true");
  };
})();
