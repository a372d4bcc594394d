// A progress chart wider than a phone scrolls sideways inside its box (rehab/_chart.html). Start it at its
// right-hand end, where the latest weeks are, and show the hint that the earlier weeks are to the left.
const scrollers = document.querySelectorAll(".chart .chart-scroll");

function fit(scroller) {
  const hint = document.getElementById(scroller.getAttribute("aria-describedby"));
  const scrolls = scroller.scrollWidth > scroller.clientWidth + 1;
  if (scrolls && (!hint || hint.hidden)) scroller.scrollLeft = scroller.scrollWidth;
  if (hint) hint.hidden = !scrolls;
}

scrollers.forEach(fit);
window.addEventListener("resize", () => scrollers.forEach(fit));
