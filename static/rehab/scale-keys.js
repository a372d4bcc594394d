// The 0-10 scales (rehab/_scale.html, rehab/_outcome_scale.html) are radio groups: one Tab stop, the arrow
// keys move along. Someone who does not know the arrow keys can also type the number: 0 to 9 choose that
// number, and 1 then 0 typed quickly choose 10.
const TEN_WITHIN_MS = 1000;
let lastOne = { group: null, at: 0 };

function choose(radio) {
  if (!radio || radio.disabled) return;
  radio.checked = true;
  radio.focus();
  radio.dispatchEvent(new Event("change", { bubbles: true }));
}

document.addEventListener("keydown", (event) => {
  const radio = event.target;
  if (!(radio instanceof HTMLInputElement) || radio.type !== "radio" || !radio.closest(".scale")) return;
  if (event.altKey || event.ctrlKey || event.metaKey || !/^[0-9]$/.test(event.key)) return;
  const group = radio.closest(".scale-options");
  const byValue = (value) =>
    Array.from(group.querySelectorAll('input[type="radio"]')).find((input) => input.value === value);
  const now = Date.now();
  let value = event.key;
  if (value === "0" && lastOne.group === group && now - lastOne.at < TEN_WITHIN_MS && byValue("10")) {
    value = "10";
  }
  lastOne = value === "1" ? { group, at: now } : { group: null, at: 0 };
  const target = byValue(value);
  if (target) {
    event.preventDefault();
    choose(target);
  }
});
