// Suggestions under the search box: an ARIA 1.2 combobox (input + listbox) fed by /suggestions/.
// Without this script the box is a plain field of the form. Arrows move, Enter opens the chosen suggestion,
// Escape closes the list; texts are set with textContent (never as HTML).
(function () {
  "use strict";
  var input = document.querySelector("[data-suggest]");
  if (!input) { return; }
  var list = document.getElementById(input.getAttribute("aria-controls") || "q-suggestions");
  var status = document.querySelector("[data-suggest-status]");
  var endpoint = input.getAttribute("data-suggest");
  var items = [];
  var active = -1;
  var timer = null;
  var pending = null;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, position) {
      option.setAttribute("aria-selected", position === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(found) {
    items = found;
    list.textContent = "";
    found.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = list.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var kind = document.createElement("span");
      kind.className = "suggest__kind";
      kind.textContent = item.kind;
      option.appendChild(kind);
      option.appendChild(document.createTextNode(" " + item.label));
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { window.location.assign(item.url); });
      list.appendChild(option);
    });
    active = -1;
    if (found.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
    if (status) {
      status.textContent = found.length ? status.getAttribute("data-some").replace("%s", found.length) : "";
    }
  }

  function ask() {
    var text = input.value.trim();
    if (text.length < 3) { show([]); return; }
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(endpoint + "?" + new URLSearchParams({q: text}), {signal: pending.signal, headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
      .then(function (data) { if (input.value.trim() === text) { show(data.suggestions || []); } })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && items.length;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      window.location.assign(items[active].url);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
})();
