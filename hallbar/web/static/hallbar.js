// Progressive enhancement for the unit tree: a toggle loads its children once (via the
// HTMX "hallbar:load" trigger) and afterwards only shows or hides them. Without
// JavaScript every unit is still reachable through its link.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest(".tree-toggle") : null;
  if (!button) { return; }
  var target = document.getElementById(button.getAttribute("aria-controls"));
  if (!target) { return; }
  var open = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", open ? "false" : "true");
  target.hidden = open;
  if (!open && !button.dataset.loaded && window.htmx) {
    button.dataset.loaded = "1";
    window.htmx.trigger(button, "hallbar:load");
  }
});
