// Referral sheet: the "Imprimer" button and copying the ready-made text (nothing is sent to the server).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
document.querySelectorAll("[data-copy]").forEach((button) => {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    const status = document.querySelector("[data-copy-status]");
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
    } catch (error) {
      document.execCommand("copy"); // older browsers, or no clipboard permission
    }
    if (status) status.textContent = button.dataset.copied;
  });
});
