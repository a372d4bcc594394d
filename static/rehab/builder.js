// The plan builder's dosage forms: while the reason is still one of the suggestions (nobody has written their own),
// swap it for the one that fits the change being made. The suggestions are the server's (data-reason-* on the
// form, see rehab/forms.py); each load field says which way a rise moves the load (data-load="more" or "less").
// Without JavaScript the server refuses a suggestion made before the change and offers the right one instead.

function loadChange(form) {
  const totals = new Map();
  let other = false;
  for (const field of form.querySelectorAll("input, textarea")) {
    if (field.type === "hidden" || field.type === "submit" || field.name.endsWith("reason")) {
      continue;
    }
    const sign = { more: 1, less: -1 }[field.dataset.load];
    if (field.type === "checkbox") {
      const moved = Number(field.checked) - Number(field.defaultChecked);
      if (moved && sign) {
        totals.set(field.name, (totals.get(field.name) || 0) + sign * moved);
      }
      other = other || moved !== 0;
    } else if (sign) {
      totals.set(field.name, sign * ((Number(field.value) || 0) - (Number(field.defaultValue) || 0)));
    } else {
      other = other || field.value !== field.defaultValue;
    }
  }
  const steps = [...totals.values()];
  const more = steps.some((step) => step > 0);
  const less = steps.some((step) => step < 0);
  if (more && less) return "mixed";
  if (more) return "more";
  if (less) return "less";
  return other ? "other" : "";
}

function suggestReason(form) {
  const reason = form.querySelector("[name$='reason']");
  const suggestions = Object.values(form.dataset);
  if (!reason || !(reason.value === "" || reason.value === reason.defaultValue || suggestions.includes(reason.value))) {
    return; // the clinician wrote their own
  }
  const kind = loadChange(form);
  reason.value = kind ? form.dataset[`reason${kind[0].toUpperCase()}${kind.slice(1)}`] : reason.defaultValue;
}

function onEdit(event) {
  const form = event.target.closest("form[data-reason-more]");
  if (form && !event.target.name.endsWith("reason")) {
    suggestReason(form);
  }
}

document.addEventListener("input", onEdit);
document.addEventListener("change", onEdit);
