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

// The referring worker's fields: typed on screen, copied into their printed form and into the e-mail and SMS
// texts in the page's language. Nothing leaves the browser except through the links the worker chooses.
(function () {
  const visit = document.querySelector("[data-visit]");
  if (!visit) return;
  const lang = document.documentElement.lang || "fr";
  const message = document.getElementById("referral-message");
  const mail = document.querySelector("a[href^='mailto:']");
  const sms = document.querySelector("a[href^='sms:']");
  const original = message ? message.value : "";
  // The SMS carries the short text (one SMS per place where possible); the e-mail and the copy the full one.
  const short = sms && sms.dataset.short ? sms.dataset.short : original;
  const labels = {};
  visit.querySelectorAll("label").forEach((label) => { labels[label.htmlFor] = label.textContent.trim(); });

  function shown(field) {
    if (!field.value) return "";
    if (field.type === "date") {
      const [y, m, d] = field.value.split("-").map(Number);
      return new Intl.DateTimeFormat(lang, { dateStyle: "full" }).format(new Date(y, m - 1, d));
    }
    if (field.type === "time") {
      const [h, min] = field.value.split(":").map(Number);
      return new Intl.DateTimeFormat(lang, { timeStyle: "short" }).format(new Date(2000, 0, 1, h, min));
    }
    return field.value;
  }

  function update() {
    const lines = [];
    visit.querySelectorAll("[data-visit-field]").forEach((field) => {
      const text = shown(field);
      const mirror = visit.querySelector(`[data-visit-print="${field.id}"]`);
      if (mirror) mirror.textContent = text;
      if (text) lines.push(`${labels[field.id]} : ${text}`);
    });
    const body = lines.length ? `${lines.join("\n")}\n\n${original}` : original;
    if (message) message.value = body;
    if (mail) {
      const url = new URL(mail.href);
      mail.href = `mailto:?subject=${encodeURIComponent(url.searchParams.get("subject") || "")}&body=${encodeURIComponent(body)}`;
    }
    if (sms) sms.href = `sms:?&body=${encodeURIComponent(lines.length ? `${lines.join("\n")}\n\n${short}` : short)}`;
  }

  visit.addEventListener("input", update);
  update();
})();
