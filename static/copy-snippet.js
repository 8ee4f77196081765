/* Copy buttons for the embed snippets: the clipboard API where allowed, selecting the text otherwise. */
(function () {
  "use strict";
  document.querySelectorAll(".copy-button").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.copy);
      var status = button.parentElement.querySelector(".copy-status");
      field.select();
      var done = function () { if (status) { status.textContent = button.dataset.done || "✓"; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
