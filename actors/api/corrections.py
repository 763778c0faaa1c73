"""The way back: a partner's correction joins the coordinators' queue (actors.moderation), never the record.

The same rules as every correction: the value must be one a coordinator could accept (checked now, by the
acceptance's own rule, `proposals.check_value`), the place must not have changed since the partner read it
(actors.core.locking, checked now and again when a coordinator decides), and the key must cover the place.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.api.access import Caller
from actors.api.errors import ApiError
from actors.core import locking
from actors.models import CorrectionReport, Structure
from actors.moderation import proposals
from actors.vocabulary.enums import CorrectionField

FIELDS = [field for field in CorrectionField.values if field != CorrectionField.OTHER]
MAX_VALUE_CHARS = 500  # CorrectionReport.proposed_value's bound
MAX_MESSAGE_CHARS = 2000


def _refuse_caller(caller: Caller, structure: Structure) -> None:
    if caller.key is None:
        raise ApiError(401, _("Une correction se fait avec une clé d'API (en-tête X-Api-Key)."))
    if not caller.key.can_write:
        raise ApiError(403, _("Cette clé d'API ne permet que la lecture."))
    if not caller.key.covers(structure):
        raise ApiError(403, _("Ce lieu est hors des territoires de cette clé d'API."))


def _changes(structure: Structure, fields: dict[str, str]) -> dict[str, tuple[str, str]]:
    unknown = sorted(name for name in fields if name not in FIELDS)
    if unknown:
        raise ApiError(400, _("Champ inconnu : %(names)s. Champs possibles : %(known)s.")
                       % {"names": ", ".join(name[:40] for name in unknown[:5]), "known": ", ".join(FIELDS)})
    changes = {}
    today = timezone.localdate()
    for name, value in fields.items():
        if "\x00" in value:  # no database stores it (PostgreSQL refuses it): refused before any query
            raise ApiError(400, _("« %(name)s » contient un caractère nul.") % {"name": name})
        if len(value) > MAX_VALUE_CHARS:
            raise ApiError(400, _("Valeur trop longue pour « %(name)s » : %(max)d caractères au plus.")
                           % {"name": name, "max": MAX_VALUE_CHARS})
        try:
            proposals.check_value(structure=structure, field=name, value=value)
        except ValidationError as error:
            raise ApiError(400, _("« %(name)s » : %(reason)s") % {"name": name, "reason": " ".join(error.messages)}
                           ) from error
        old = proposals.current_value(structure, name, today)
        if value.strip() != old or name == CorrectionField.CLOSED:
            changes[name] = (old, value.strip())
    return changes


@transaction.atomic
def send_correction(*, caller: Caller, structure: Structure, version: str, fields: dict[str, str],
                    message: str) -> list[CorrectionReport]:
    """The pending reports of one partner's correction; ApiError (nothing written) when it cannot be queued."""
    _refuse_caller(caller, structure)
    if "\x00" in message or "\x00" in version:
        raise ApiError(400, _("Le message ou la version contient un caractère nul."))
    if len(message) > MAX_MESSAGE_CHARS:
        raise ApiError(400, _("Message trop long : %(max)d caractères au plus.") % {"max": MAX_MESSAGE_CHARS})
    try:
        locking.check_version(pk=structure.pk, token=version)
    except ValidationError as error:
        raise ApiError(409, " ".join(error.messages)) from error
    changes = _changes(structure, fields)
    if not changes:
        raise ApiError(400, _("Aucun changement : les valeurs envoyées sont celles de la fiche."))
    assert caller.key is not None  # _refuse_caller refused anonymous callers
    origin = _("Correction envoyée par le partenaire « %(name)s » (API, clé %(prefix)s…).") % {
        "name": caller.key.name, "prefix": caller.key.prefix}
    return proposals.propose(structure=structure, changes=changes, note=message, origin=origin, now=timezone.now(),
                             from_the_place=False)
