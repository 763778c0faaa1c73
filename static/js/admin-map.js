// Structure admin map: the marker can be dragged directly (no need to open Leaflet.draw's edit mode first);
// the new position is written to the form field that the server reads on save.
window.addEventListener("map:init", function (event) {
  "use strict";
  var map = event.detail.map;
  map.on("map:loadfield", function (loaded) {
    var field = loaded.field;
    field.drawnItems.eachLayer(function (layer) {
      if (!layer.dragging) { return; }
      layer.dragging.enable();
      layer.on("dragend", function () { field.store.save(field.drawnItems); });
    });
  });
});
