// Detail page: centre the small map on the place and mark it (called by django-leaflet's map loader).
window.detailMapInit = function (map) {
  const element = document.getElementById("structure-map");
  const point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
  map.setView(point, 16);
  L.circleMarker(point, { radius: 9, color: "#000091", weight: 3, fillColor: "#ffffff", fillOpacity: 1 })
    .addTo(map)
    .bindTooltip(element.dataset.name);
};
