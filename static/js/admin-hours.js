// Live preview of the OSM opening hours in the structure admin: asks the server to read the string.
(function () {
  "use strict";
  var input = document.querySelector(".js-hours-input");
  if (!input) { return; }
  var base = window.location.pathname.replace(/\/(add|\d+\/change|\d+\/history\/\d+)\/?$/, "/");
  var endpoint = base + "horaires/apercu/";
  var preview = document.createElement("p");
  preview.className = "coord-hours-preview";
  preview.setAttribute("aria-live", "polite");
  preview.id = input.id + "_preview";
  input.setAttribute("aria-describedby", preview.id);
  input.insertAdjacentElement("afterend", preview);
  var timer = null;
  var counter = 0;

  function show(data) {
    preview.classList.toggle("coord-hours-preview--error", !data.ok);
    preview.textContent = data.ok ? (data.preview ? "Aperçu : " + data.preview : "") : data.error;
  }

  function check() {
    var mine = ++counter;
    fetch(endpoint + "?horaires=" + encodeURIComponent(input.value), {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (data) { if (mine === counter) { show(data); } })
      .catch(function () { preview.textContent = ""; });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 250);
  });
  check();
})();
