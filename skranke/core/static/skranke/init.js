// Start the design system's components (accordions, menus, …) once the page is parsed.
if (window.DKFDS) {
  window.DKFDS.init();
}
