// Département pages: filter the long list of communes as one types (accent- and case-insensitive).
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[-'’]/g, " ");
  }
  document.querySelectorAll("[data-filter-list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filter-list"));
    var status = document.getElementById(input.getAttribute("data-filter-status"));
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    var template = status.getAttribute("data-template");
    input.closest("[hidden]") && input.closest("[hidden]").removeAttribute("hidden");
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var shown = 0;
      items.forEach(function (item) {
        var match = !query || item.getAttribute("data-search").indexOf(query) !== -1;
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = template.replace("%s", shown);
    });
  });
})();
