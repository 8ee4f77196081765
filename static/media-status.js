// Progressive enhancement of the film page's media panel: fetch the packaging status, refresh it while a job runs.
(function () {
  "use strict";
  document.querySelectorAll("[data-media-panel]").forEach(function (panel) {
    var url = panel.getAttribute("data-media-panel");
    function refresh() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          panel.innerHTML = html;
          var status = panel.querySelector("[data-in-progress]");
          if (status && status.getAttribute("data-in-progress") === "true") { setTimeout(refresh, 2000); }
        })
        .catch(function () { /* keep the plain link */ });
    }
    refresh();
  });
})();
