"""E-mail settings from one EMAIL_URL, like DATABASE_URL.

    smtp://user:password@smtp.example.org:587   SMTP with STARTTLS (port 587, or ?tls=1)
    smtps://user:password@smtp.example.org:465  SMTP over TLS
    smtp://127.0.0.1:1025                       plain SMTP (a local relay)
    file:///srv/annuaire/var/mail               one file per message (the default: var/mail)
    console://                                  printed on the server's output
Credentials may be percent-encoded (an @ in a password is %40).
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def email_from_url(url: str, base_dir: Path) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        raise ImproperlyConfigured(f"EMAIL_URL : schéma inconnu « {parts.scheme} » (smtp, smtps, file, console).")
    values = {"EMAIL_BACKEND": BACKENDS[parts.scheme]}
    if parts.scheme == "file":
        path = Path(unquote(parts.netloc + parts.path)) if (parts.netloc or parts.path) else Path("var/mail")
        values["EMAIL_FILE_PATH"] = str(path if path.is_absolute() else base_dir / path)
    elif parts.scheme in ("smtp", "smtps"):
        if not parts.hostname:
            raise ImproperlyConfigured("EMAIL_URL : indiquez le serveur SMTP, par exemple smtp://smtp.example.org:587")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
        values.update({
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": parts.scheme == "smtp" and (port == 587 or query.get("tls") in ("1", "true")),
            "EMAIL_TIMEOUT": int(query.get("timeout", "30")),
        })
    return values
