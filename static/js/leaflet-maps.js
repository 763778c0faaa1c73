// Starts the maps printed by {% leaflet_map_static %}: options come from a JSON block, not an inline script,
// so the Content-Security-Policy forbids inline scripts. Same start as django-leaflet's own loader
// (after the page's "load" event, then window[callback](map)). A page with several maps loads this once.
(function () {
  "use strict";
  if (window.leafletMapsLoader) { return; }
  window.leafletMapsLoader = true;

  function start() {
    document.querySelectorAll('script[type="application/json"][id$="-leaflet-options"]').forEach(function (node) {
      var options = JSON.parse(node.textContent);
      var callback = options.callback ? window[options.callback] : null;
      L.Map.djangoMap(options.name, {
        djoptions: options.djoptions, globals: false, callback: typeof callback === "function" ? callback : null,
      });
    });
  }

  if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
})();
