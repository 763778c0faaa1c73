"""Optimistic locking of coordinators' edits: a form carries the version of the place it was read from, and a
save based on an older version is refused with a French message saying what changed meanwhile.

The version of a place is its `updated_at`. It covers the place and its closures and contact persons: every
write path moves it forward *after* writing its history (`touch`), so the history entries dated after a
version are exactly the changes a stale form has not seen.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from actors.models import ContactPerson, Structure, TemporaryClosure

FIELD = "version"  # the name of the hidden input in every form that edits a place


def version_of(pk: int | None) -> str:
    """The current version token of the place `pk` ("" for a new place)."""
    if pk is None:
        return ""
    updated = Structure.objects.filter(pk=pk).values_list("updated_at", flat=True).first()
    return updated.isoformat() if updated else ""


def touch(*pks: int | None) -> None:
    """Move the version of the places forward, after the write and its history entry: every write path of a
    place (actors.core.writes) and of its closures and contacts (the admin) calls it."""
    Structure.objects.filter(pk__in=[pk for pk in pks if pk]).update(updated_at=timezone.now())


def _parse(token: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(token) if token else None
    except ValueError:
        return None


def check_version(*, pk: int, token: str | None) -> None:
    """Refuse (ValidationError, code "stale") a save based on `token` when the place changed since.

    Call it inside the saving transaction: the row stays locked until the save commits, so two saves based on
    the same version cannot both pass.
    """
    with transaction.atomic():  # joins the caller's transaction: the row lock then lasts until it commits
        current = Structure.objects.select_for_update().filter(pk=pk).values_list("updated_at", flat=True).first()
    read = _parse(token)
    if current is None:
        raise ValidationError(_("Ce lieu a été supprimé entre-temps : vos modifications n'ont pas été enregistrées."),
                              code="stale")
    if read is not None and current == read:
        return
    if read is None:
        raise ValidationError(_("Ce formulaire ne dit pas de quelle version du lieu il part : rechargez la page "
                                "avant d'enregistrer."), code="stale")
    changes = changes_since(pk=pk, since=read)
    raise ValidationError(
        _("Ce lieu a été modifié depuis que vous avez ouvert ce formulaire : %(changes)s. Vos modifications n'ont "
          "pas été enregistrées, pour ne pas effacer celles-ci : rechargez la page pour partir de la version "
          "actuelle, puis refaites-les.") % {"changes": " ; ".join(changes) or _("modification sans détail")},
        code="stale",
    )


def _who_when(record) -> str:
    when = formats.date_format(timezone.localtime(record.history_date), "j F à H:i")
    who = record.history_user.get_username() if record.history_user else _("un import ou une tâche")
    return _("par %(who)s le %(when)s") % {"who": who, "when": when}


def _shorten(value, limit: int = 80) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes_since(*, pk: int, since: dt.datetime) -> list[str]:
    """What changed on the place and its closures and contacts after `since`, one French phrase per change."""
    phrases = []
    for record in Structure.history.filter(id=pk, history_date__gt=since).order_by("history_date", "history_id"):
        previous = record.prev_record
        if previous is None:
            continue
        fields = []
        for change in record.diff_against(previous).changes:
            label = Structure._meta.get_field(change.field).verbose_name
            fields.append(_("%(field)s : « %(old)s » → « %(new)s »")
                          % {"field": label, "old": _shorten(change.old), "new": _shorten(change.new)})
        if fields:
            phrases.append(f"{', '.join(fields)} ({_who_when(record)})")
    verbs = {"+": _("ajoutée"), "~": _("modifiée"), "-": _("supprimée")}
    for model, noun in ((TemporaryClosure, _("fermeture temporaire")), (ContactPerson, _("personne à contacter"))):
        for record in model.history.filter(structure_id=pk, history_date__gt=since).order_by("history_date"):
            phrases.append(f"{noun} « {record.instance} » {verbs[record.history_type]} ({_who_when(record)})")
    return phrases


def stale_places(post, *structures: Structure) -> list[str]:
    """For forms over several places (the merge of duplicates): one message per place changed since the form's
    version, read from the inputs "version_<pk>"; empty when all are current. Call it in the saving transaction."""
    messages = []
    for structure in structures:
        try:
            check_version(pk=structure.pk, token=post.get(f"{FIELD}_{structure.pk}"))
        except ValidationError as error:
            messages.append(f"« {structure.nom} » (#{structure.pk}) : {' '.join(error.messages)}")
    return messages
