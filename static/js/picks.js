// Places picked for a referral sheet (1 to 3), kept in this tab's sessionStorage so that they survive paging
// and new searches. Nothing about the person is sent or stored: only the places' slugs and names, in the
// browser. The bar under the results stays on screen from the first pick.
(function () {
  "use strict";
  var bar = document.querySelector("[data-referral]");
  var form = document.getElementById("orientation");
  if (!bar || !form) return;
  var KEY = "inclusion-picks";
  var MAX = 3;
  var boxes = document.querySelectorAll("[data-referral-pick]");
  var status = bar.querySelector("[data-referral-status]");
  var names = bar.querySelector("[data-referral-names]");
  var submit = bar.querySelector("[data-referral-submit]");
  var clear = bar.querySelector("[data-referral-clear]");

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

  function nameOf(box) {
    var card = box.closest(".result");
    var title = card && card.querySelector(".result__title");
    return title ? title.textContent.trim() : box.value;
  }

  function update() {
    var slugs = picks.map(function (p) { return p.slug; });
    boxes.forEach(function (box) {
      box.checked = slugs.indexOf(box.value) !== -1;
      box.disabled = !box.checked && picks.length >= MAX;
    });
    submit.disabled = picks.length === 0;
    clear.hidden = picks.length === 0;
    var text = picks.length === 0 ? "" : (picks.length === 1 ? bar.dataset.one : bar.dataset.many.replace("%s", picks.length));
    status.textContent = picks.length >= MAX ? text + " " + bar.dataset.max : text;
    names.textContent = picks.map(function (p) { return p.name; }).join(" · ");
    bar.classList.toggle("is-active", picks.length > 0);
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      picks = picks.filter(function (p) { return p.slug !== box.value; });
      if (box.checked && picks.length < MAX) picks.push({ slug: box.value, name: nameOf(box) });
      write(picks);
      update();
    });
  });

  clear.addEventListener("click", function () {
    picks = [];
    write(picks);
    update();
  });

  // The boxes of this page submit themselves; picks made on other pages join as hidden fields.
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

  // Back to this page from the sheet (bfcache): the picks may have changed in another page of the tab.
  window.addEventListener("pageshow", function () { picks = read(); update(); });
  update();
})();
