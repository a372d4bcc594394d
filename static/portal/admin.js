// Django's two-box selector (filter_horizontal: a user's groups and permissions) puts aria-label on a plain
// span, its search icon, which is the only content of the filter box's label. aria-label is not allowed on an
// element without a role, so give the icon the role of an image: the label keeps its name, now a valid one.
// This script is deferred, so its "load" handler runs after SelectFilter2.js has built the boxes in its own.
window.addEventListener("load", () => {
  for (const icon of document.querySelectorAll(".selector .search-label-icon[aria-label]:not([role])")) {
    icon.setAttribute("role", "img");
  }
});
