// Django's two-list picker (a service's places, a shift's services) puts
// the filter box's description in an aria-label on a bare <span>, where
// ARIA does not allow one, so screen readers may drop it. As an image the
// span may carry it, and the filter box is named by it.
// Loaded with `defer`: its listener then runs after the picker's own,
// which builds the spans when the page has loaded.
window.addEventListener("load", () => {
  document
    .querySelectorAll(".search-label-icon[aria-label]:not([role])")
    .forEach((icon) => icon.setAttribute("role", "img"));
});
