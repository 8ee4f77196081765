/* The prize edition form: filter the long list of films by title (checked ones stay visible). */
(function () {
  "use strict";
  var row = document.querySelector("[data-filter-row]");
  var field = document.getElementById("nominee-filter");
  if (!row || !field) { return; }
  row.hidden = false;
  field.addEventListener("input", function () {
    var wanted = field.value.trim().toLowerCase();
    document.querySelectorAll("#nominee-list li[data-title]").forEach(function (item) {
      var box = item.querySelector("input");
      item.hidden = wanted !== "" && !(box && box.checked) && item.dataset.title.indexOf(wanted) === -1;
    });
  });
})();
