"""The change feed (`modifie_depuis`): every place changed since a moment, in the order of their change, so a
mirror stays exact.

A place still public comes with its whole record; a place that left the public directory comes as a tombstone
saying why: archived or back to draft (`state`), folded into another record of the same place (`folded_into`,
actors.duplicates.folding moves `updated_at` when it folds), hidden by its département's freshness policy, or
deleted (a merge: simple_history keeps a `-` record of the deleted row). The feed walks (date, kind, id) by key:
changes after the cursor are never skipped, and a place changed again during the walk comes again, later.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.api import cursor, places
from actors.api.errors import ApiError
from actors.models import Structure
from actors.standard import fallback_id
from actors.vocabulary.enums import PublicationState

CHANGED, DELETED = 0, 1


def moment(raw: str | None, name: str = "modifie_depuis") -> dt.datetime | None:
    """A moment given as ISO 8601 (`modifie_depuis`, `date`); without offset, French time."""
    if not raw:
        return None
    try:
        # A "+" left unencoded in a query string arrives as a space: "2026-11-28T09:30:00 01:00".
        value = dt.datetime.fromisoformat(raw.replace(" ", "+") if "T" in raw else raw)
    except ValueError as error:
        raise ApiError(400, _("« %(name)s » illisible : donnez une date ISO 8601, par exemple "
                              "2026-11-28T09:30:00+01:00.") % {"name": name}) from error
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _after(position: list | None, since: dt.datetime | None, *, date: str, key: str, kind: int) -> Q:
    """Rows after the cursor in the order (date, kind, id); without a cursor, rows changed after `since`."""
    if position is None:
        return Q(**{f"{date}__gt": since}) if since is not None else Q()
    at, at_kind, at_pk = dt.datetime.fromisoformat(position[0]), position[1], position[2]
    later = Q(**{f"{date}__gt": at})
    if kind == at_kind:
        return later | Q(**{date: at, f"{key}__gt": at_pk})
    return later | Q(**{date: at}) if kind > at_kind else later


def why_gone(structure: Structure) -> str:
    if structure.state == PublicationState.ARCHIVED:
        return "archive"
    if structure.state != PublicationState.PUBLISHED:
        return "brouillon"
    if structure.folded_into_id is not None:
        return "regroupe"
    return "masque"  # published, not folded, left out by the département's freshness policy


def changes(*, since: dt.datetime | None, limit: int, token: str | None, now: dt.datetime) -> tuple[list, str | None]:
    """(entries of one page, cursor of the next or None)."""
    query = f"feed|{since.isoformat() if since else ''}|{limit}"
    position = cursor.read(token, query=query) if token else None
    if position is not None and (len(position) != 3 or position[1] not in (CHANGED, DELETED)):
        raise ApiError(400, _("Curseur invalide : utilisez tel quel le lien « next » d'une réponse."))
    changed = list(places.with_relations(Structure.objects.filter(
        _after(position, since, date="updated_at", key="pk", kind=CHANGED)))
        .select_related("folded_into").order_by("updated_at", "pk")[:limit + 1])
    deleted = list(Structure.history.filter(history_type="-").filter(
        _after(position, since, date="history_date", key="history_id", kind=DELETED))
        .order_by("history_date", "history_id").values("history_id", "history_date", "id", "slug", "source_id")
        [:limit + 1])
    merged = sorted([(s.updated_at, CHANGED, s.pk, s) for s in changed]
                    + [(d["history_date"], DELETED, d["history_id"], d) for d in deleted], key=lambda e: e[:3])
    more = len(merged) > limit
    merged = merged[:limit]
    public = set(Structure.objects.public().filter(pk__in=[s.pk for s in changed]).values_list("pk", flat=True))
    shown = [entry[3] for entry in merged if entry[1] == CHANGED and entry[3].pk in public]
    full = {data["slug"]: data for data in places.items(shown, now)}
    entries = []
    for at, kind, _pk, record in merged:
        if kind == DELETED:
            entries.append({"action": "retire", "raison": "supprime", "slug": record["slug"],
                            "id": record["source_id"] or fallback_id(record["id"]), "modifie_le": at.isoformat()})
        elif record.slug in full:
            entries.append({"action": "modifie", "slug": record.slug, "id": full[record.slug]["id"],
                            "modifie_le": at.isoformat(), "lieu": full[record.slug]})
        else:
            entry = {"action": "retire", "raison": why_gone(record), "slug": record.slug,
                     "id": record.source_id or fallback_id(record.pk), "modifie_le": at.isoformat()}
            if record.folded_into_id is not None:
                entry["regroupe_dans"] = record.folded_into.slug
            entries.append(entry)
    following = None
    if more and merged:
        last = merged[-1]
        following = cursor.make(query=query, position=[last[0].isoformat(), last[1], last[2]])
    return entries, following
