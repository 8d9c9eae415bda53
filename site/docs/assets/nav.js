/* The theme's menu button on a phone is a <label> for a hidden checkbox: it cannot be reached or
   pressed with a keyboard. With scripts, a real <button> takes its place (and says whether the
   menu is open); without them, the label still opens the menu on a tap. */
(function () {
  "use strict";

  function init() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector('label.md-header__button[for="__drawer"]');
    if (!toggle || !label) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " qd-menu";
    button.setAttribute("aria-label", "导航菜单");
    button.setAttribute("aria-expanded", String(toggle.checked));
    while (label.firstChild) button.appendChild(label.firstChild);
    label.parentNode.replaceChild(button, label);
    button.addEventListener("click", function () { toggle.click(); });
    toggle.addEventListener("change", function () { button.setAttribute("aria-expanded", String(toggle.checked)); });
  }

  // A printed page is a whole document: every collapsed part opens for printing, and closes again after.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () { opened.forEach(function (d) { d.open = false; }); });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
