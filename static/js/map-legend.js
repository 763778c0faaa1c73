// The map's legend and the names of Leaflet's own controls (it speaks English) in the page's language; added
// when map.js says the map is ready ("mapready" with the Leaflet map).
(function () {
  "use strict";
  var app = document.querySelector(".map-app");
  if (!app) return;
  var strings = JSON.parse(document.getElementById("map-strings").textContent);
  var embedded = app.classList.contains("map-app--embed");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function legendRow(box, className, html, text) {
    var row = element("li", "map-legend__row");
    var sample = element("span", "map-legend__sample " + className);
    sample.setAttribute("aria-hidden", "true");
    if (html) sample.textContent = html;
    row.appendChild(sample);
    row.appendChild(element("span", "", text));
    box.appendChild(row);
  }

  function name(node, text) { if (node) { node.title = text; node.setAttribute("aria-label", text); } }

  app.addEventListener("mapready", function (event) {
    var map = event.detail;
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = element("details", "map-legend");
      // Folded in an embed: a partner's frame is small and an open legend would cover pins.
      box.open = !embedded && window.matchMedia("(min-width: 40rem)").matches;
      box.appendChild(element("summary", "map-legend__title", strings.legend));
      var rows = element("ul", "map-legend__rows");
      legendRow(rows, "map-legend__cluster", "12", strings.legendCluster);
      legendRow(rows, "map-pin is-open", "", strings.legendOpen);
      legendRow(rows, "map-pin is-closed", "", strings.legendClosed);
      legendRow(rows, "map-pin is-unknown", "", strings.legendUnknown);
      legendRow(rows, "map-pin is-unknown is-approximate", "", strings.legendApproximate);
      box.appendChild(rows);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    legend.addTo(map);

    var container = map.getContainer();
    name(container.querySelector(".leaflet-control-zoom-in"), strings.zoomIn);
    name(container.querySelector(".leaflet-control-zoom-out"), strings.zoomOut);
    map.on("popupopen", function (popup) {
      // Picks may have changed since the popup was built (on the list, in another popup).
      if (window.inclusionPicks) window.inclusionPicks.refresh();
      name(popup.popup.getElement().querySelector(".leaflet-popup-close-button"), strings.closePopup);
    });
  });
})();
