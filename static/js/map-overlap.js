// Markers drawn over each other leave too little of one to tap (WCAG 2.5.8: 24×24 px; axe `target-size`): the
// server's groups follow cells and places, not the circles' sizes on screen, so two neighbours can overlap.
// map.js hands every marker-to-be here, with its position in screen pixels and its radius; overlapping ones
// come back as one group (count summed, position weighted by count, bounds joined). Pure: no map, no DOM.
(function () {
  "use strict";
  var MARGIN = 1; // px between two circles, so that each keeps its whole disc

  function join(a, b) {
    var n = a.n + b.n;
    return {
      n: n, x: (a.x * a.n + b.x * b.n) / n, y: (a.y * a.n + b.y * b.n) / n,
      lat: (a.lat * a.n + b.lat * b.n) / n, lon: (a.lon * a.n + b.lon * b.n) / n,
      south: Math.min(a.south, b.south), west: Math.min(a.west, b.west),
      north: Math.max(a.north, b.north), east: Math.max(a.east, b.east),
      // A group knows its places only if both parts did (a server cell names none of its places).
      ids: a.ids && b.ids ? a.ids.concat(b.ids) : null,
      points: null,
    };
  }

  function overlap(a, b, radius) {
    var dx = a.x - b.x, dy = a.y - b.y, reach = radius(a) + radius(b) + MARGIN;
    return dx * dx + dy * dy < reach * reach;
  }

  // targets: [{n, x, y, lat, lon, south, west, north, east, ids, points}]; radius(target) in px.
  window.inclusionMapSpread = function (targets, radius) {
    var kept = targets.slice().sort(function (a, b) { return b.n - a.n; });
    // A joined group is bigger, so it may now reach a marker it had cleared: go over them again (bounded).
    for (var pass = 0; pass < 8; pass++) {
      var joined = false;
      for (var i = 0; i < kept.length; i++) {
        for (var j = i + 1; j < kept.length; j++) {
          if (!overlap(kept[i], kept[j], radius)) continue;
          kept[i] = join(kept[i], kept[j]);
          kept.splice(j, 1);
          j = i; // the grown group is checked against all the others again
          joined = true;
        }
      }
      if (!joined) break;
    }
    return kept;
  };
})();
