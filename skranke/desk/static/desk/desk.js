// Keyboard shortcuts at the desk: Alt+Shift and the letter shown on a
// button presses it. Alt+Shift, not a single letter, so typing in a field
// never presses a button (WCAG 2.1.4), and not Alt alone, which opens the
// browser's menus on some systems.
document.addEventListener("keydown", function (event) {
  if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) { return; }
  var letter = (event.code || "").replace(/^Key/, "").toLowerCase();
  var button = document.querySelector('button[data-shortcut="' + letter + '"]');
  if (!button || button.disabled) { return; }
  event.preventDefault();
  // A form that still needs a choice (the errand to transfer to) is not
  // sent: the shortcut takes the staff member to the choice instead.
  var form = button.form;
  var missing = form && form.querySelector(":invalid");
  if (missing) { missing.focus(); return; }
  button.click();
});
