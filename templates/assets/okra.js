// okra: behaviour shared by every page. Nothing here loads from another host.
(function () {
  "use strict";
  // "/" focuses the search box, as on most sites with search.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if (event.key === "/" && !typing) {
      var box = document.getElementById("search-input");
      if (box) {
        event.preventDefault();
        box.focus();
      }
    }
  });
})();
