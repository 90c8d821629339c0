/* The header's menus (templates/_header_menus.html). Loaded in <head> without defer: it marks the page as
   scripted at once ("js" on <html>), so the CSS keeps the phone menu closed from the first paint; without
   scripts the menus stay reachable (open on hover or focus on wide screens, always open on phones).

   Each menu is a disclosure button (aria-expanded) followed by its list: a click or Enter/Space opens it,
   Escape closes it and returns to its button, a click elsewhere closes it. The phone's menu button opens the
   panel holding all menus the same way. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function isOpen(button) {
    return button.getAttribute("aria-expanded") === "true";
  }

  function init() {
    var toggle = document.querySelector("[data-menu-toggle]");
    var panel = document.querySelector("[data-site-menu]");
    if (!toggle || !panel) { return; }
    var buttons = panel.querySelectorAll(".menu-button");

    function closeMenus(except) {
      for (var i = 0; i < buttons.length; i++) {
        if (buttons[i] !== except) { setOpen(buttons[i], false); }
      }
    }

    function phoneLayout() {
      return window.getComputedStyle(toggle).display !== "none";
    }

    toggle.addEventListener("click", function () {
      setOpen(toggle, !isOpen(toggle));
      if (!isOpen(toggle)) { closeMenus(null); }
    });

    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        var button = event.currentTarget;
        var open = !isOpen(button);
        if (!phoneLayout()) { closeMenus(button); }  // wide screens: one dropdown at a time
        setOpen(button, open);
      });
    }

    document.addEventListener("click", function (event) {
      if (!phoneLayout() && !panel.contains(event.target)) { closeMenus(null); }
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var within = document.activeElement && document.activeElement.closest(".has-menu");
      var button = within && within.querySelector(".menu-button");
      if (button && isOpen(button)) {
        setOpen(button, false);
        button.focus();
      } else if (isOpen(toggle)) {
        setOpen(toggle, false);
        closeMenus(null);
        toggle.focus();
      }
    });

    // on wide screens, a dropdown left by Tab closes behind the focus
    panel.addEventListener("focusout", function (event) {
      if (phoneLayout()) { return; }
      var menu = event.target.closest(".has-menu");
      if (menu && !menu.contains(event.relatedTarget)) {
        var button = menu.querySelector(".menu-button");
        if (button) { setOpen(button, false); }
      }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
