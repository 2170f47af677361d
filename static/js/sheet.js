// The visit-prep sheet's Print button and the share page's Copy-link buttons. Both are hidden
// until this runs: without JavaScript the browser's own Print and the selectable link remain.
(function () {
  "use strict";

  var printButtons = document.querySelectorAll("[data-print]");
  printButtons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  if (printButtons.length) {
    // The hint telling people without JavaScript to use the browser's Print.
    document.querySelectorAll("[data-print-hint]").forEach(function (hint) {
      hint.hidden = true;
    });
  }

  var status = document.getElementById("copy-status");
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          status.textContent = "Link copied";
        },
        function () {
          field.select();
          status.textContent = "Could not copy: the link is selected, copy it with your keyboard.";
        }
      );
    });
  });
})();
