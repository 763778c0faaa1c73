// The embed in a partner's frame: the filters fold behind one button, the wheel scrolls the partner's page
// until the map is clicked or focused (then it zooms), and a hint says so. Runs after map.js, which sends
// "mapready" with the Leaflet map.
(function () {
  "use strict";

  var app = document.querySelector(".map-app--embed");
  if (!app) return;
  var strings = JSON.parse(document.getElementById("map-strings").textContent);
  var toggle = document.getElementById("map-filters-toggle");
  var panel = document.getElementById("map-panel");
  var form = document.getElementById("map-filters");

  function showFilters(open) {
    app.classList.toggle("is-filters-open", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      var first = panel.querySelector("input, select, button");
      if (first) first.focus();
    }
  }

  toggle.addEventListener("click", function () { showFilters(!app.classList.contains("is-filters-open")); });
  form.addEventListener("submit", function () { showFilters(false); toggle.focus(); });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { showFilters(false); toggle.focus(); }
  });

  app.addEventListener("mapready", function (event) {
    var map = event.detail;
    var container = map.getContainer();
    var hint = document.createElement("p");
    hint.className = "map-wheel-hint";
    hint.textContent = strings.wheelHint;
    hint.hidden = true;
    hint.setAttribute("aria-hidden", "true"); // for pointer users; the keyboard zooms with + and −
    container.parentNode.appendChild(hint);

    // Leaflet leaves a wheel it does not handle alone: the browser then scrolls the partner's page.
    map.scrollWheelZoom.disable();
    function wake() { map.scrollWheelZoom.enable(); hint.hidden = true; app.dataset.wheel = "zoom"; }
    function sleep() { map.scrollWheelZoom.disable(); app.dataset.wheel = "page"; }
    sleep();
    map.on("click", wake);
    container.addEventListener("focus", wake);
    container.addEventListener("blur", sleep);
    container.addEventListener("wheel", function () {
      if (map.scrollWheelZoom.enabled()) return;
      hint.hidden = false;
    }, { passive: true });
    // The hint stays while the pointer is over the map, so it can be read; it goes when the pointer leaves.
    container.addEventListener("mouseleave", function () { hint.hidden = true; });
  });
})();
