// Update page (/mise-a-jour/…): the week typed day by day, read back in plain French as the place types.
// Same wording as the server's preview (actors/admin/hours_preview.py); the server checks everything again.
(function () {
  "use strict";
  var preview = document.getElementById("hours-preview");
  if (!preview) { return; }
  var days = Array.prototype.slice.call(document.querySelectorAll(".update-day[data-day]"));
  var NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

  function minutes(text, closing) {
    var match = /^(\d{1,2}):(\d{2})/.exec(text || "");
    if (!match) { return null; }
    var value = parseInt(match[1], 10) * 60 + parseInt(match[2], 10);
    return closing && value === 0 ? 1440 : value;
  }

  function clock(value) {
    var m = value % 60;
    return Math.floor(value / 60) + ":" + (m < 10 ? "0" : "") + m;
  }

  // One day: {ranges: [[opens, closes], …]} or {error: "…"}.
  function readDay(day) {
    var closed = day.querySelector(".js-hours-closed");
    var times = day.querySelectorAll(".js-hours-time");
    Array.prototype.forEach.call(times, function (input) { input.disabled = closed.checked; });
    if (closed.checked) { return {ranges: []}; }
    var ranges = [];
    for (var i = 0; i < times.length; i += 2) {
      var opens = minutes(times[i].value, false);
      var closes = minutes(times[i + 1].value, true);
      if (opens === null && closes === null) { continue; }
      if (opens === null || closes === null) { return {error: "indiquez l'heure d'ouverture et de fermeture"}; }
      if (closes <= opens) { return {error: "l'heure de fermeture doit suivre l'heure d'ouverture"}; }
      ranges.push([opens, closes]);
    }
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    if (ranges.length === 2 && ranges[1][0] < ranges[0][1]) { return {error: "les deux plages se chevauchent"}; }
    return {ranges: ranges};
  }

  function render() {
    var groups = [];
    var errors = [];
    days.forEach(function (day) {
      var number = parseInt(day.getAttribute("data-day"), 10);
      var read = readDay(day);
      if (read.error) { errors.push(day.getAttribute("data-name") + " : " + read.error); return; }
      if (!read.ranges.length) { return; }
      var text = read.ranges.map(function (r) { return clock(r[0]) + "–" + clock(r[1]); }).join(", ");
      var last = groups[groups.length - 1];
      if (last && last.to === number - 1 && last.text === text) { last.to = number; } else {
        groups.push({from: number, to: number, text: text});
      }
    });
    preview.classList.toggle("update-form__preview--error", errors.length > 0);
    if (errors.length) { preview.textContent = errors.join(" ; "); return; }
    var parts = groups.map(function (g) {
      var names = g.from === g.to ? NAMES[g.from] : (g.to === g.from + 1 ? NAMES[g.from] + " et " + NAMES[g.to]
        : "du " + NAMES[g.from] + " au " + NAMES[g.to]);
      return names + " " + g.text;
    });
    preview.textContent = parts.length ? parts.join(" ; ") : preview.getAttribute("data-empty");
  }

  days.forEach(function (day) {
    day.addEventListener("input", render);
    day.addEventListener("change", render);
  });
  render();
}());
