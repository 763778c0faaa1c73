// The public map: loads clusters or points for the viewport from the server and keeps the list beside
// the map in step with it (hover or focus on one highlights the other). django-leaflet creates the map
// and calls window.inclusionMap(map).
(function () {
  "use strict";

  var app = document.querySelector(".map-app");
  if (!app) return;
  var strings = JSON.parse(document.getElementById("map-strings").textContent);
  var form = document.getElementById("map-filters");
  var list = document.getElementById("map-list");
  var status = document.getElementById("map-status");
  var message = document.getElementById("map-message");
  var listLink = document.getElementById("map-list-link");
  var results = app.querySelector(".map-results");
  var LIST_GROUPS = 15; // groups named in the list; the others stay reachable on the map and by zooming
  var STREET_ZOOM = 17; // POINTS_FROM_ZOOM of actors/map/data.py: every place is its own marker from there

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function placesLabel(n) {
    return format(n > 1 ? strings.places : strings.place, { n: n.toLocaleString(document.documentElement.lang) });
  }

  function filterQuery() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (value !== "") params.append(name, value); });
    return params.toString();
  }

  function say(text, kind) {
    message.textContent = text || "";
    message.dataset.kind = kind || "";
    message.hidden = !text;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function openText(flag) {
    return flag === 1 ? strings.open : flag === 0 ? strings.closed : strings.unknown;
  }

  function openClass(flag) {
    return flag === 1 ? "is-open" : flag === 0 ? "is-closed" : "is-unknown";
  }

  window.inclusionMap = function (map) {
    var layer = L.layerGroup().addTo(map);
    var markers = {};
    var items = {};
    var controller = null;
    var timer = null;
    var lastText = null;
    var detailUrl = app.dataset.detailUrl;
    var focusSlug = new URLSearchParams(location.search).get("lieu");
    // The marker whose popup is open, and the places it stands for. A redraw keeps this very marker (and its
    // popup) on the map: the pan a popup makes to fit near an edge reloads the view, and the new view may
    // group its place with a neighbour that came into sight, so no marker of the new data could take it over.
    var held = null;
    var heldIds = [];
    var lastData = null;

    // A focused marker makes the browser scroll the map's box to show it; Leaflet positions panes itself.
    var container = map.getContainer();
    // One Tab stop for the map itself (Leaflet: arrows pan, + and − zoom), named for screen readers. In the
    // embed, markers are not Tab stops: a partner's page would otherwise hold hundreds of them; the list
    // beside the map is the keyboard route.
    var embedded = app.classList.contains("map-app--embed");
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", strings.mapLabel);
    container.addEventListener("scroll", function () { container.scrollTop = 0; container.scrollLeft = 0; });

    // A view kept in the URL (Back from a place's page, a shared link) wins over framing the places.
    var view = app.dataset.view;
    var bounds = app.dataset.bounds;
    if (view) {
      var v = view.split(",").map(Number);
      map.setView([v[0], v[1]], v[2]);
    } else if (bounds) {
      var b = bounds.split(",").map(Number);
      map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { maxZoom: 15, padding: [20, 20] });
    }

    function highlight(id, on, fromList) {
      var marker = markers[id];
      var item = items[id];
      if (marker && marker.getElement()) {
        marker.getElement().classList.toggle("is-active", on);
        marker.setZIndexOffset(on ? 1000 : 0);
      }
      if (item) {
        item.classList.toggle("is-active", on);
        if (on && !fromList) reveal(item);
      }
    }

    // Bring a list item into the list's own scrolling box, never scrolling the page: a page that moves under
    // the pointer makes the next click miss its marker.
    function reveal(item) {
      if (!results || results.scrollHeight <= results.clientHeight) return;
      var box = results.getBoundingClientRect();
      var row = item.getBoundingClientRect();
      if (row.top < box.top) results.scrollTop -= box.top - row.top;
      else if (row.bottom > box.bottom) results.scrollTop += row.bottom - box.bottom;
    }

    function popup(point) {
      var box = element("div", "map-popup");
      box.appendChild(element("strong", "map-popup__name", point[2]));
      box.appendChild(element("span", "map-state " + openClass(point[5]), point[7] || openText(point[5])));
      box.appendChild(element("span", "map-popup__address", point[6]));
      if (point[8]) { box.appendChild(element("span", "map-popup__freshness", point[8])); }
      if (point[9]) { box.appendChild(element("span", "map-popup__approximate", strings.approximate)); }
      var link = element("a", "map-popup__link", strings.details);
      link.href = detailUrl.replace("SLUG", point[1]);
      if (app.classList.contains("map-app--embed")) { link.target = "_blank"; link.rel = "noopener"; }
      box.appendChild(link);
      // Picked for a referral sheet here as on the list (picks.js keeps them); not in a partner's frame, whose
      // storage is the partner's.
      if (window.inclusionPicks && !embedded) {
        var pick = element("button", "button button--secondary button--small pick-toggle");
        pick.type = "button";
        pick.setAttribute("data-pick-toggle", "");
        pick.dataset.slug = point[1];
        pick.dataset.name = point[2];
        pick.dataset.add = strings.pickAdd;
        pick.dataset.remove = strings.pickRemove;
        pick.dataset.full = strings.pickFull;
        box.appendChild(pick);
      }
      return box;
    }

    // Places at exactly the same point (services of one building) share one marker whose popup lists them
    // all: drawn one over the other, only the top one could be opened.
    function stackPopup(points) {
      var box = element("div", "map-popup map-popup--stack");
      box.appendChild(element("strong", "map-popup__count", placesLabel(points.length) + " " + strings.samePlace));
      var rows = element("ul", "map-popup__stack");
      points.forEach(function (point) {
        var row = element("li", "");
        var body = popup(point);
        row.appendChild(body);
        rows.appendChild(row);
      });
      box.appendChild(rows);
      return box;
    }

    // A point inside a group (cluster) is listed but drawn by its group's marker.
    function addPoint(points) {
      var first = points[0];
      var id = first[0];
      var stacked = points.length > 1;
      var title = stacked ? placesLabel(points.length) + " : " + points.map(function (p) { return p[2]; }).join(", ")
                          : first[2];
      var marker = L.marker([first[3], first[4]], {
        keyboard: !embedded, title: title, riseOnHover: true,
        icon: L.divIcon({ className: "map-pin " + openClass(first[5]) + (first[9] ? " is-approximate" : "") +
                                     (stacked ? " map-pin--stack" : ""),
                          html: stacked ? element("span", "", String(points.length)) : "",
                          iconSize: [PIN_SIZE, PIN_SIZE], iconAnchor: [PIN_SIZE / 2, PIN_SIZE / 2],
                          popupAnchor: [0, -12] }),
      });
      marker.bindPopup(stacked ? stackPopup(points) : popup(first), { maxHeight: 260 });
      var ids = points.map(function (point) { return point[0]; });
      marker.on("popupopen", function () {
        held = marker;
        heldIds = ids;
        app.dataset.popup = ids.join(",");
      });
      marker.on("popupclose", function () {
        if (held !== marker) return;
        held = null;
        heldIds = [];
        delete app.dataset.popup;
        // Kept from older data: once closed, the map is drawn as the current data say (after the click that
        // closed it has opened another popup, if it did).
        if (marker.stale) setTimeout(function () { if (lastData) render(lastData); }, 0);
      });
      marker.addTo(layer);
      var node = marker.getElement();
      if (embedded) node.setAttribute("role", "img"); // no Tab stop, hence no button: a named picture
      node.setAttribute("aria-label", stacked ? title : first[2] + " – " + (first[7] || openText(first[5])));
      points.forEach(function (point) {
        var pid = point[0];
        marker.on("mouseover", function () { highlight(pid, true); });
        marker.on("mouseout", function () { highlight(pid, false); });
        node.addEventListener("focus", function () { highlight(pid, true); });
        node.addEventListener("blur", function () { highlight(pid, false); });
        markers[pid] = marker;
      });
    }

    function listItem(point) {
      var id = point[0];
      var item = element("li", "map-item");
      item.id = "map-item-" + id;
      var link = element("a", "map-item__name", point[2]);
      link.href = detailUrl.replace("SLUG", point[1]);
      if (app.classList.contains("map-app--embed")) { link.target = "_blank"; link.rel = "noopener"; }
      item.appendChild(link);
      item.appendChild(element("span", "map-item__address", point[6]));
      item.appendChild(element("span", "map-state " + openClass(point[5]), point[7] || openText(point[5])));
      item.addEventListener("mouseenter", function () { highlight(id, true, true); });
      item.addEventListener("mouseleave", function () { highlight(id, false, true); });
      item.addEventListener("focusin", function () { highlight(id, true, true); });
      item.addEventListener("focusout", function () { highlight(id, false, true); });
      items[id] = item;
      return item;
    }

    function zoomTo(cluster) {
      var south = cluster[3], west = cluster[4], north = cluster[5], east = cluster[6];
      if (south === north && west === east) {
        map.setView([cluster[1], cluster[2]], Math.min(map.getZoom() + 3, map.getMaxZoom()));
      } else {
        map.fitBounds([[south, west], [north, east]], { padding: [24, 24] });
      }
    }

    function clusterSize(n) { return n < 10 ? 32 : n < 100 ? 38 : n < 1000 ? 44 : 50; }
    var PIN_SIZE = 26;

    function addCluster(cluster) {
      var n = cluster[0];
      var size = clusterSize(n);
      var label = placesLabel(n);
      var marker = L.marker([cluster[1], cluster[2]], {
        keyboard: !embedded, title: label,
        icon: L.divIcon({ className: "map-cluster", html: element("span", "", n.toLocaleString("fr-FR")),
                          iconSize: [size, size] }),
      });
      marker.on("click", function () { zoomTo(cluster); });
      // Leaflet turns Enter into a click only for markers with a popup: clusters need it said.
      marker.on("keypress", function (event) {
        if (event.originalEvent.key === "Enter" || event.originalEvent.key === " ") zoomTo(cluster);
      });
      marker.addTo(layer);
      if (embedded) marker.getElement().setAttribute("role", "img");
      marker.getElement().setAttribute("aria-label", format(strings.cluster, { n: n }));
      // Its places are in the list: hovering one of them highlights the group.
      (cluster[7] || []).forEach(function (id) { markers[id] = marker; });

      var item = element("li", "map-item map-item--cluster");
      var button = element("button", "map-item__zoom", format(strings.cluster, { n: n }));
      button.type = "button";
      button.addEventListener("click", function () { zoomTo(cluster); });
      item.appendChild(button);
      return item;
    }

    function render(data) {
      lastData = data;
      layer.eachLayer(function (marker) { if (marker !== held) layer.removeLayer(marker); });
      markers = {};
      items = {};
      var kept = {};
      if (held) {
        held.stale = true;
        heldIds.forEach(function (id) { kept[id] = true; markers[id] = held; });
      }
      var fragment = document.createDocumentFragment();
      var grouped = {};
      data.c.forEach(function (cluster) { (cluster[7] || []).forEach(function (id) { grouped[id] = true; }); });
      var stacks = {};
      var order = [];
      data.p.forEach(function (point) {
        fragment.appendChild(listItem(point));
        if (grouped[point[0]] || kept[point[0]]) return;
        var spot = point[3] + "," + point[4];
        if (!stacks[spot]) { stacks[spot] = []; order.push(spot); }
        stacks[spot].push(point);
      });
      // Markers that would overlap on screen are drawn as one group (map-overlap.js).
      function target(n, lat, lon, bounds, ids, points) {
        var at = map.latLngToLayerPoint([lat, lon]);
        return { n: n, x: at.x, y: at.y, lat: lat, lon: lon, south: bounds[0], west: bounds[1], north: bounds[2],
                 east: bounds[3], ids: ids, points: points };
      }
      var targets = data.c.map(function (c) {
        return target(c[0], c[1], c[2], [c[3], c[4], c[5], c[6]], c[7] ? c[7].slice() : null, null);
      });
      order.forEach(function (spot) {
        var points = stacks[spot], lat = points[0][3], lon = points[0][4];
        targets.push(target(points.length, lat, lon, [lat, lon, lat, lon],
                            points.map(function (p) { return p[0]; }), points));
      });
      var drawn = window.inclusionMapSpread(targets, function (t) {
        return (t.points ? PIN_SIZE : clusterSize(t.n)) / 2;
      });
      var groups = [];
      drawn.forEach(function (t) {
        if (t.points) { addPoint(t.points); return; }
        var cluster = [t.n, t.lat, t.lon, t.south, t.west, t.north, t.east];
        if (t.ids) cluster.push(t.ids);
        var item = addCluster(cluster);
        if (!t.ids) groups.push({ n: t.n, item: item });
      });
      // The list offers the biggest groups first (groups whose places it lists are not repeated); the map
      // draws them all.
      groups.sort(function (a, b) { return b.n - a.n; }).slice(0, LIST_GROUPS).forEach(function (group) {
        fragment.appendChild(group.item);
      });
      // The held marker's places: hovering them in the list highlights the marker that shows the popup.
      heldIds.forEach(function (id) { markers[id] = held; });
      list.replaceChildren(fragment);
      // Arrived from a place's page (?lieu=<slug>): its popup opens once.
      // A place drawn inside a group: zoom to the street, where it has its own marker, and open it then.
      if (focusSlug) {
        var wanted = data.p.filter(function (point) { return point[1] === focusSlug; })[0];
        if (wanted && grouped[wanted[0]] && map.getZoom() < STREET_ZOOM) {
          map.setView([wanted[3], wanted[4]], STREET_ZOOM);
        } else {
          if (wanted) markers[wanted[0]].openPopup();
          focusSlug = null;
        }
      }
      var total = data.t.toLocaleString(document.documentElement.lang);
      var text = data.n ? format(strings.inView, { n: placesLabel(data.n), t: total })
                        : format(strings.noneInView, { t: total });
      if (data.c.length) text += " " + strings.zoomHint;
      status.textContent = text;
      if (folded()) toggle.textContent = format(strings.listShow, { n: placesLabel(data.n) });
      app.dataset.zoom = map.getZoom();
      app.dataset.count = data.n;
      app.dataset.total = data.t;
      app.dataset.state = "ready";
      app.dispatchEvent(new CustomEvent("mapdrawn"));
    }

    function load() {
      if (controller) controller.abort();
      controller = new AbortController();
      var box = map.getBounds();
      var query = filterQuery();
      var params = "bbox=" + [box.getWest(), box.getSouth(), box.getEast(), box.getNorth()]
        .map(function (v) { return v.toFixed(5); }).join(",") + "&zoom=" + map.getZoom() + (query ? "&" + query : "");
      app.dataset.state = "loading";
      fetch(app.dataset.endpoint + "?" + params, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (text) {
          if (message.dataset.kind === "load") say("");
          // Same answer (a pan inside the same cells): keep the markers, the focus and the announcement.
          if (text !== lastText) render(JSON.parse(text));
          lastText = text;
          app.dataset.zoom = map.getZoom();
          app.dataset.state = "ready";
        })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          say(strings.error, "load");
          app.dataset.state = "error";
        });
    }

    function schedule() {
      clearTimeout(timer);
      // Already "loading" while the reload waits for the map to settle: its markers are about to be redrawn.
      app.dataset.state = "loading";
      timer = setTimeout(load, 150);
    }

    // The URL holds the filters and the view, so that Back from a place's page and a shared link come back
    // to the same map (read by the server: actors/map/views.py, map_view).
    function keepState() {
      var query = filterQuery();
      var centre = map.getCenter();
      var state = (query ? query + "&" : "") + "centre=" + centre.lat.toFixed(5) + "," + centre.lng.toFixed(5) +
                  "&zoom=" + map.getZoom();
      history.replaceState(null, "", location.pathname + "?" + state);
    }

    function filtersChanged() {
      var query = filterQuery();
      // New filters are a new question: a popup kept from the old answer could show a place they exclude.
      map.closePopup();
      keepState();
      if (listLink) listLink.href = app.dataset.listUrl + (query ? "?" + query : "");
      load();
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); filtersChanged(); });
    form.addEventListener("change", function (event) {
      if (event.target.type === "checkbox" || event.target.tagName === "SELECT") filtersChanged();
    });

    document.getElementById("map-locate").addEventListener("click", function () {
      if (!navigator.geolocation) { say(strings.unsupported); return; }
      status.textContent = strings.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          say("");
          map.setView([position.coords.latitude, position.coords.longitude], 14);
          status.textContent = strings.located;
        },
        function () { say(strings.denied); },
        { timeout: 10000, maximumAge: 60000 }
      );
    });

    // Phone: the list under the map folds away; the map then takes the room it leaves (CSS), and Leaflet is
    // told its size changed. On a wide screen the button is not shown and the list always is.
    var toggle = document.getElementById("map-list-toggle");
    function folded() { return app.classList.contains("is-list-folded"); }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var fold = !folded();
      app.classList.toggle("is-list-folded", fold);
      toggle.setAttribute("aria-expanded", String(!fold));
      toggle.textContent = fold ? format(strings.listShow, { n: placesLabel(Number(app.dataset.count || 0)) })
                                : strings.listHide;
      map.invalidateSize();
    });

    map.on("moveend", schedule);
    map.on("moveend", keepState);
    load();
    app.dispatchEvent(new CustomEvent("mapready", { detail: map }));
  };
})();
