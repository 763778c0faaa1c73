"""Signed cursors: the client cannot forge a position, reuse a cursor with other filters, or keep one for days.

A cursor holds the query it belongs to (its filters, normalised as the directory's counts normalise them), the
page size and the position: the last row's sort key for orders that allow it (the name order, the feed's
date), else the next page number (ranked text, distance: bounded result sets).
"""

from django.core import signing
from django.utils.translation import gettext as _

from actors.api.errors import ApiError

SALT = "actors.api.cursor"
MAX_AGE_SECONDS = 24 * 3600


def make(*, query: str, position: list) -> str:
    return signing.dumps({"q": query, "p": position}, salt=SALT, compress=True)


def read(token: str, *, query: str) -> list:
    """The position a cursor holds; ApiError 400 when it is forged, expired or from another query."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as error:
        raise ApiError(400, _("Curseur expiré (valable 24 heures) : repartez de la première page.")) from error
    except signing.BadSignature as error:
        raise ApiError(400, _("Curseur invalide : utilisez tel quel le lien « next » d'une réponse.")) from error
    if not isinstance(data, dict) or data.get("q") != query or not isinstance(data.get("p"), list):
        raise ApiError(400, _("Ce curseur appartient à une autre recherche : gardez les mêmes paramètres d'une page "
                              "à l'autre."))
    return data["p"]
