// The visit-prep sheet's Print button and the share page's Copy-link buttons. Both are hidden
// until this runs: without JavaScript the browser's own Print and the selectable link remain.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    document.querySelectorAll("[data-print-hint]").forEach(function (hint) {
      hint.hidden = true;
    });
    button.addEventListener("click", function () {
      window.print();
    });
  });

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
