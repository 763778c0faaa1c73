// Places picked for a referral sheet (1 to 3), kept in this tab's sessionStorage so that they survive paging,
// new searches, the map and a place's page. Nothing about the person is sent or stored: only the places' slugs
// and names, in the browser. Picks are made by the list's boxes, and by « Choisir pour la fiche » buttons
// ([data-pick-toggle]) on a place's page and in the map's popups (map.js builds them through
// window.inclusionPicks). The bar ([data-referral]) stays on screen from the first pick.
(function () {
  "use strict";
  var KEY = "inclusion-picks";
  var MAX = 3;
  var bar = document.querySelector("[data-referral]");
  var form = document.getElementById("orientation");
  var boxes = form ? document.querySelectorAll("[data-referral-pick]") : [];

  function read() {
    try {
      var picks = JSON.parse(window.sessionStorage.getItem(KEY) || "[]");
      return Array.isArray(picks) ? picks.filter(function (p) { return p && typeof p.slug === "string"; }).slice(0, MAX) : [];
    } catch (error) {
      return []; // storage refused (private mode) or garbled: start again with none
    }
  }

  function write(picks) {
    try { window.sessionStorage.setItem(KEY, JSON.stringify(picks)); } catch (error) { /* kept on this page only */ }
  }

  var picks = read();

  function has(slug) {
    return picks.some(function (p) { return p.slug === slug; });
  }

  function set(slug, name, on) {
    picks = picks.filter(function (p) { return p.slug !== slug; });
    if (on && picks.length < MAX) picks.push({ slug: slug, name: name });
    write(picks);
    update();
  }

  // A toggle button says what pressing it does, and is pressed while its place is picked.
  function showToggle(button) {
    var on = has(button.dataset.slug);
    button.hidden = false; // a button that needs this script is shown by it
    button.setAttribute("aria-pressed", String(on));
    button.disabled = !on && picks.length >= MAX;
    button.textContent = on ? button.dataset.remove : (button.disabled ? button.dataset.full : button.dataset.add);
  }

  function barText() {
    if (!bar || picks.length === 0) return "";
    var text = picks.length === 1 ? bar.dataset.one : bar.dataset.many.replace("%s", picks.length);
    return picks.length >= MAX ? text + " " + bar.dataset.max : text;
  }

  function update() {
    var slugs = picks.map(function (p) { return p.slug; });
    boxes.forEach(function (box) {
      box.checked = slugs.indexOf(box.value) !== -1;
      box.disabled = !box.checked && picks.length >= MAX;
    });
    document.querySelectorAll("[data-pick-toggle]").forEach(showToggle);
    if (!bar) return;
    var submit = bar.querySelector("[data-referral-submit]");
    var link = bar.querySelector("[data-referral-link]");
    if (submit) submit.disabled = picks.length === 0;
    if (link) {
      var query = new URLSearchParams();
      slugs.forEach(function (slug) { query.append("lieux", slug); });
      link.href = bar.dataset.url + "?" + query.toString();
    }
    bar.querySelector("[data-referral-clear]").hidden = picks.length === 0;
    bar.querySelector("[data-referral-status]").textContent = barText();
    bar.querySelector("[data-referral-names]").textContent = picks.map(function (p) { return p.name; }).join(" · ");
    bar.classList.toggle("is-active", picks.length > 0);
    // Away from the list, the bar only shows once something is picked.
    if (bar.hasAttribute("data-referral-compact")) bar.hidden = picks.length === 0;
  }

  window.inclusionPicks = { has: has, refresh: update };

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-pick-toggle]");
    if (!button) return;
    set(button.dataset.slug, button.dataset.name, !has(button.dataset.slug));
  });

  function nameOf(box) {
    var card = box.closest(".result");
    var title = card && card.querySelector(".result__title");
    return title ? title.textContent.trim() : box.value;
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", function () { set(box.value, nameOf(box), box.checked); });
  });

  if (bar) {
    bar.querySelector("[data-referral-clear]").addEventListener("click", function () {
      picks = [];
      write(picks);
      update();
    });
  }

  // The boxes of this page submit themselves; picks made on other pages join as hidden fields.
  if (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[data-picked-elsewhere]").forEach(function (input) { input.remove(); });
      var here = Array.prototype.map.call(boxes, function (box) { return box.value; });
      picks.forEach(function (p) {
        if (here.indexOf(p.slug) !== -1) return;
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "lieux";
        input.value = p.slug;
        input.setAttribute("data-picked-elsewhere", "");
        form.appendChild(input);
      });
    });
  }

  // Back to this page from the sheet (bfcache): the picks may have changed in another page of the tab.
  window.addEventListener("pageshow", function () { picks = read(); update(); });
  update();
})();
