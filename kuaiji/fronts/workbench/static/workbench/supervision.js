// Supervision: "choose all" ticks every item checkbox of the urge form on this page.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-pick-all]");
  if (!all) return;
  const form = all.closest("form");
  for (const box of form.querySelectorAll('input[name="items"]')) box.checked = all.checked;
});
