// Starts the maps printed by {% leaflet_map_static %}: options come from a JSON block, not an inline script,
// so the Content-Security-Policy forbids inline scripts. Same start as django-leaflet's own loader
// (after the page's "load" event, then window[callback](map)). A page with several maps loads this once.
(function () {
  "use strict";
  if (window.leafletMapsLoader) { return; }
  window.leafletMapsLoader = true;

  // Leaflet's control names are English constants (the popup's « Close popup » is not even an option):
  // the page's language replaces them, as the template tag gives them.
  function translateControls(labels) {
    if (!labels) { return; }
    L.Control.Zoom.prototype.options.zoomInTitle = labels.zoomIn;
    L.Control.Zoom.prototype.options.zoomOutTitle = labels.zoomOut;
    L.Map.addInitHook(function () {
      this.on("popupopen", function (event) {
        var button = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-close-button");
        if (button) { button.setAttribute("aria-label", labels.closePopup); button.title = labels.closePopup; }
      });
    });
  }

  function start() {
    var nodes = document.querySelectorAll('script[type="application/json"][id$="-leaflet-options"]');
    if (nodes.length) { translateControls(JSON.parse(nodes[0].textContent).labels); }
    nodes.forEach(function (node) {
      var options = JSON.parse(node.textContent);
      var callback = options.callback ? window[options.callback] : null;
      L.Map.djangoMap(options.name, {
        djoptions: options.djoptions, globals: false, callback: typeof callback === "function" ? callback : null,
      });
    });
  }

  if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
})();
