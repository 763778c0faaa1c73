// A « Imprimer » button for printable pages (no inline script: the CSP forbids it).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
