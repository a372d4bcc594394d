// "Copy the link" next to the private calendar link. Without script (or clipboard access) the button stays
// hidden and the link can be selected and copied by hand from its read-only box.
for (const button of document.querySelectorAll("[data-copy-target]")) {
  const field = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById(`${button.dataset.copyTarget}-status`);
  if (!field || !navigator.clipboard) continue;
  button.classList.remove("d-none");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = button.dataset.copiedText;
    } catch {
      field.select();
    }
  });
}
