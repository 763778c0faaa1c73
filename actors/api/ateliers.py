"""/api/v1/ateliers: the sessions to come, through the ateliers' one filter set (actors.ateliers.filters), so the
API, /ateliers/ and /ateliers.ics always give the same sessions; cancelled ones are never listed (`shown()`).

Sessions are walked by key (start, id): a session added, moved or cancelled during a walk never shifts the
others. The registration contact is the place's own (the model's rule), never a person's.
"""

import datetime as dt

from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from actors.api import cursor
from actors.api.errors import ApiError
from actors.ateliers.filters import AtelierFilter
from actors.models import AtelierSession

OWN_PARAMETERS = ("curseur", "limite")


def filter_set(query: QueryDict, *, now: dt.datetime) -> AtelierFilter:
    """The ateliers' filter set of the query; 400 for a parameter it does not know or a value it cannot use."""
    unknown = [name for name in query if name not in AtelierFilter.base_filters and name not in OWN_PARAMETERS]
    if unknown:
        raise ApiError(400, _("Paramètre inconnu : %(names)s.") % {"names": ", ".join(sorted(unknown))})
    filters = query.copy()
    for name in OWN_PARAMETERS:
        filters.pop(name, None)
    filterset = AtelierFilter(filters, now=now)
    filterset.qs  # noqa: B018 - validates the parameters and fills `notices`
    if filterset.notices:
        raise ApiError(400, " ".join(filterset.notices))
    return filterset


def query_key(filterset: AtelierFilter, limit: int) -> str:
    values = sorted((name, str(value)) for name, value in filterset.cleaned.items() if value not in (None, ""))
    return "ateliers|" + "&".join(f"{name}={value}" for name, value in values) + f"|limite={limit}"


def page(filterset: AtelierFilter, *, limit: int, token: str | None) -> tuple[list[AtelierSession], int, str | None]:
    """(sessions of the page, total, cursor of the next page or None)."""
    key = query_key(filterset, limit)
    queryset = filterset.qs
    count = queryset.count()
    if token:
        position = cursor.read(token, query=key)
        if len(position) != 2 or not isinstance(position[1], int):
            raise ApiError(400, _("Curseur invalide : utilisez tel quel le lien « next » d'une réponse."))
        starts_at = dt.datetime.fromisoformat(position[0])
        queryset = queryset.filter(Q(starts_at__gt=starts_at) | Q(starts_at=starts_at, pk__gt=position[1]))
    rows = list(queryset.prefetch_related("series__themes", "series__publics")[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    following = cursor.make(query=key, position=[rows[-1].starts_at.isoformat(), rows[-1].pk]) if more else None
    return rows, count, following


def item(session: AtelierSession) -> dict:
    series, place = session.series, session.series.structure
    return {
        "id": session.pk,
        "titre": series.title,
        "description": series.description,
        "debut": session.starts_at.isoformat(),
        "fin": session.ends_at.isoformat(),
        "lieu": {"slug": place.slug, "nom": place.nom, "url": reverse("actors:detail", args=[place.slug]),
                 "adresse": place.adresse, "code_postal": place.code_postal, "commune": place.commune_nom,
                 "code_insee": place.commune_id or ""},
        "themes": sorted(term.code for term in series.themes.all()),
        "publics": sorted(term.code for term in series.publics.all()),
        "niveau": series.level,
        "places": series.seats,
        "places_restantes": session.seats_left,
        "complet": session.full,
        "gratuit": series.free,
        "tarif": series.fees,
        "inscription": {"mode": series.registration, "libelle": str(series.get_registration_display()),
                        "contact": series.registration_contact, "lien": series.registration_url},
        "langue": series.language,
        "accessibilite": series.accessibility,
    }
