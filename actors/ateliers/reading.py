"""An agenda's bytes, from a file or a URL, never more than MAX_BYTES (a 20 MB feed is refused, not read)."""

import http.client
import urllib.error
import urllib.request
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 15


class Unreadable(Exception):
    """Said to the coordinator as it is (French)."""


def read(where: str) -> bytes:
    if where.startswith(("http://", "https://")):
        return _download(where)
    path = Path(where)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise Unreadable(f"Fichier trop volumineux (plus de {MAX_BYTES // (1024 * 1024)} Mo) : rien n'a été lu.")
        return path.read_bytes()
    except OSError as error:
        raise Unreadable(f"Fichier introuvable ou illisible : {where[:200]} ({error.strerror or error}).") from error


def _download(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "inclusion-numerique-annuaire (ateliers)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_BYTES + 1)
    except (OSError, ValueError, http.client.HTTPException) as error:  # HTTP errors and timeouts are OSErrors
        raise Unreadable(f"Adresse injoignable : {url[:200]} ({str(error)[:120]}).") from error
    if len(data) > MAX_BYTES:
        raise Unreadable(f"Agenda trop volumineux (plus de {MAX_BYTES // (1024 * 1024)} Mo) : rien n'a été lu.")
    return data
