// Detail page: centre the small map on the place and mark it (called by django-leaflet's map loader).
// The tooltip is a text node: a place's name is data, never markup.
window.detailMapInit = function (map) {
  const element = document.getElementById("structure-map");
  const point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
  const label = document.createElement("span");
  label.textContent = element.dataset.name;
  map.setView(point, 16);
  const marker = L.circleMarker(point, { radius: 9, color: "#000091", weight: 3, fillColor: "#ffffff", fillOpacity: 1 })
    .addTo(map)
    .bindTooltip(label);
  // The marker is a drawing: it is named like an image (the name is set as text, never parsed).
  marker.getElement().setAttribute("role", "img");
  marker.getElement().setAttribute("aria-label", element.dataset.markerLabel);
};
