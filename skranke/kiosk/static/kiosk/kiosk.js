// The ticket page returns to the start (in Danish) by itself, so the next
// citizen finds the kiosk ready. Any touch or key gives more time.
(function () {
  var done = document.getElementById("kiosk-done");
  if (!done) { return; }
  var timer;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { done.submit(); }, 60000);
  }
  ["pointerdown", "keydown"].forEach(function (name) {
    document.addEventListener(name, later);
  });
  later();
  var print = document.getElementById("kiosk-print");
  if (print) {
    print.addEventListener("click", function () { window.print(); });
  }
})();
