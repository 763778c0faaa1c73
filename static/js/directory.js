// Directory list: sort auto-submit, "around me" geolocation, folded filters on phones (picks: picks.js).
(function () {
  "use strict";
  var form = document.getElementById("filtres");
  if (!form) { return; }

  form.querySelectorAll("[data-autosubmit]").forEach(function (field) {
    field.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
  });

  // Empty inputs would only clutter the shareable URL: disable them just before submitting.
  form.addEventListener("submit", function () {
    form.querySelectorAll("input, select").forEach(function (field) {
      if (field.name && field.value === "" && field.type !== "checkbox" && field.type !== "radio") {
        field.disabled = true;
      }
    });
    var radio = form.querySelector("input[name=qpv][value='']:checked");
    if (radio) { radio.disabled = true; }
    window.setTimeout(function () {
      form.querySelectorAll(":disabled").forEach(function (field) { field.disabled = false; });
    }, 0);
  });

  var filters = form.querySelector("[data-filters]");
  if (filters && window.matchMedia("(max-width: 47.99rem)").matches) {
    filters.open = false;
  }

  function submit() { if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); } }

  // Enter on a select applies the filters, as it does in a text field (browsers do nothing).
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); submit(); }
    });
  });

  // « Voir les N résultats » right after the first filter changed, so that applying is the next Tab stop
  // instead of the bottom of a long panel; its number is asked as filters change (actors/directory/result_count.py).
  var countUrl = form.dataset.countUrl;
  if (filters && countUrl) {
    var see = null;
    var timer = null;
    var controller = null;
    var ask = function () {
      if (controller) { controller.abort(); }
      controller = new AbortController();
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) { if (value !== "" && name !== "page") { params.append(name, value); } });
      fetch(countUrl + "?" + params.toString(), { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
        .then(function (data) { see.textContent = data.label; see.dataset.count = data.n; })
        .catch(function (error) { if (error.name !== "AbortError") { see.textContent = form.dataset.countWaiting; } });
    };
    filters.addEventListener("change", function (event) {
      var field = event.target;
      if (!field.name || field.hasAttribute("data-autosubmit")) { return; }
      if (!see) {
        var box = document.createElement("div");
        box.className = "filter-see";
        box.setAttribute("aria-live", "polite");
        see = document.createElement("button");
        see.type = "submit";
        see.className = "button button--small";
        // Until the number arrives: the action without its number (not the panel's own « Appliquer les
        // filtres », so that each button keeps a name of its own).
        see.textContent = form.dataset.countWaiting;
        box.appendChild(see);
        (field.closest(".option, .field") || field).insertAdjacentElement("afterend", box);
      }
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
  }

  var geoButton = form.querySelector("[data-geolocate]");
  var geoStatus = form.querySelector("[data-geo-status]");
  if (geoButton && "geolocation" in navigator) {
    geoButton.hidden = false;
    geoButton.addEventListener("click", function () {
      geoStatus.textContent = geoButton.dataset.waiting;
      navigator.geolocation.getCurrentPosition(function (position) {
        form.querySelector("[data-geo-lat]").value = position.coords.latitude.toFixed(5);
        form.querySelector("[data-geo-lon]").value = position.coords.longitude.toFixed(5);
        form.querySelector("#pres_de").value = "";
        form.querySelector("#tri").value = "distance";
        form.submit();
      }, function () {
        geoStatus.textContent = geoButton.dataset.failed;
      }, { timeout: 10000, maximumAge: 600000 });
    });
  }
  // A typed place replaces a previous browser position.
  var place = form.querySelector("#pres_de");
  if (place) {
    place.addEventListener("input", function () {
      form.querySelector("[data-geo-lat]").value = "";
      form.querySelector("[data-geo-lon]").value = "";
    });
  }
  // The form now acts on its own (sort, Enter, « Voir les N résultats »): journeys wait for this state.
  form.setAttribute("data-ready", "true");
}());

// The sticky "Appliquer les filtres" bar must not cover the focused field (WCAG 2.2 SC 2.4.11): scroll the
// filter panel (desktop) or the page (phone) by the overlap.
(function () {
  var panel = document.querySelector(".directory__filters");
  var bar = document.querySelector(".directory__filter-actions");
  if (!panel || !bar) return;
  panel.addEventListener("focusin", function (event) {
    if (bar.contains(event.target)) return;
    var overlap = event.target.getBoundingClientRect().bottom - bar.getBoundingClientRect().top + 8;
    if (overlap <= 0) return;
    var before = panel.scrollTop;
    panel.scrollTop += overlap;
    if (panel.scrollTop === before) window.scrollBy(0, overlap);
  });
})();
