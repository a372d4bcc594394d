// FAQ answers sit in closed <details>; open them for printing and close them again afterwards.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details:not([open])").forEach(function (details) {
    details.dataset.openedForPrint = "true";
    details.open = true;
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-opened-for-print]").forEach(function (details) {
    details.open = false;
    delete details.dataset.openedForPrint;
  });
});
