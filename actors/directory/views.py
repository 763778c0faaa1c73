"""The directory list: filters, facets, search and the referral pick, all driven by StructureFilter.

Query budget per page (asserted in tests): vocabulary, place lookup for "près de", count, rows, terms of
the rows, facets, closures of the rows, and — only when nothing matches — the relax counts.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance
from django.core.paginator import Paginator
from django.db.models import Case, FloatField, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from actors.directory import conditions as queries
from actors.directory import counts as listcache
from actors.directory import facets, indexed
from actors.directory.filters import (
    FRESHNESS,
    OPENING,
    QPV_DISTANCE_CHOICES,
    SORTS,
    TERM_FILTERS,
    UNKNOWN,
    WEEKDAYS,
    StructureFilter,
)
from actors.directory.nearest import nearest_among_equals, nearest_ids
from actors.directory.recovery import RADII, beyond_radius, word_counts
from actors.freshness.rule import Freshness
from actors.models import Structure, TemporaryClosure
from actors.opening import hours, on_date
from actors.opening import status as opening
from actors.opening.status import OpeningStatus
from actors.opening.window import parse_hour
from actors.vocabulary.enums import SERVICE_GROUPS, TermKind
from territories.models import EPCI, Commune, Departement

PAGE_SIZE = 20
# Vocabularies whose options are listed only when some result carries them (or they are ticked).
LONG_VOCABULARIES = {"typologie", "dispositifs", "labels"}
FIELDSETS = [
    ("frais", gettext_lazy("Frais")),
    ("acces", gettext_lazy("Comment y aller")),
    ("accompagnement", gettext_lazy("Accompagnement")),
    ("publics", gettext_lazy("Publics")),
    ("prise_en_charge", gettext_lazy("Accompagnement adapté")),
    ("itinerance", gettext_lazy("Lieu fixe ou itinérant")),
    ("typologie", gettext_lazy("Type de lieu")),
    ("dispositifs", gettext_lazy("Dispositifs nationaux")),
    ("labels", gettext_lazy("Formations et labels")),
]
NEAR_PARAMETERS = ("pres_de", "lat", "lon", "rayon", "tri")


@dataclass
class RowStatus:
    opening: OpeningStatus
    freshness: Freshness

    @property
    def stale(self) -> bool:
        return self.freshness.stale


def decorate(rows: list[Structure], now: dt.datetime, days: tuple[dt.date, ...] = ()) -> None:
    """Attach `labels` and `status` to the rows shown (one query for their closures), and under a day filter
    (`days`: the dates asked) `date_hours`, the hours of those dates, which the card shows instead of today's
    status.

    The SQL filters chose the rows from the typical week; opening.py settles French public holidays and
    temporary closures with opening_hours, as the detail page does.
    """
    today = timezone.localdate(now)
    closures: dict[int, list[TemporaryClosure]] = {}
    if rows:
        for closure in TemporaryClosure.objects.filter(
            structure_id__in=[row.pk for row in rows], ends_on__gte=today
        ):
            closures.setdefault(closure.structure_id, []).append(closure)
    for row in rows:
        row.labels = {}
        row.is_itinerant = False
        for term in row.terms.all():
            row.is_itinerant = row.is_itinerant or (term.kind == TermKind.ITINERANCE and term.code == "itinerant")
            row.labels.setdefault(term.kind, []).append(term.display_label)
        row.status = RowStatus(
            opening=opening.opening_status(row, now, closures.get(row.pk, [])), freshness=row.freshness(now),
        )
        asked = on_date.hours_asked(row.horaires, days, now, closures.get(row.pk, [])) if days else []
        row.date_hours = [answer.label(today) for answer in asked]


def page_rows(filterset: StructureFilter, page) -> list[Structure]:
    """The rows of one page, in one query of two steps: a narrow subquery picks the page's ids in the list's
    order (an index-only scan for a page deep in the list; distances and ranks sorted on narrow rows), then
    only those rows are read in full and sorted again (docs/scale.md).

    A page ranked by the database is read in one step: its matches are already known and few
    (actors/directory/text_query.py), SQLite's bm25 only exists inside the FTS join and PostgreSQL's rank names the
    outer table. When SQLite ranks in Python (TextSearch.ranks_in_python), the page's ids come from that ranking."""
    queryset = filterset.qs
    if page.paginator.count == 0:
        return []
    bottom = (page.number - 1) * page.paginator.per_page
    top = bottom + page.paginator.per_page
    answer = indexed.answer(filterset)
    if answer is not None and filterset.sort == "nom":
        # The place index holds the places in the list's order: the page's ids are picked, then read.
        ids = answer.page_ids(bottom, top)
        rows = Structure.objects.select_related("commune").prefetch_related("terms").filter(pk__in=ids)
        return list(rows.order_by(*queryset.query.order_by))
    text = filterset.text_search
    ranks_in_python = text is not None and filterset.sort == "pertinence" and text.ranks_in_python
    if text is not None and not text.broad and filterset.point is not None and filterset.sort == "pertinence":
        return nearest_among_equals_page(filterset, bottom, top)
    if text is not None and not text.broad and not ranks_in_python:
        return list(queryset.prefetch_related("terms")[bottom:top])
    rows = Structure.objects.select_related("commune").prefetch_related("terms")
    rank = Value(0.0)  # a broad match is listed by name
    if ranks_in_python:
        # SQLite ranks few results in Python, with FTS5's own bm25 (TextSearch.ranked_ids): the page's rows
        # are then read with their ranks, and sorted again as the list sorts.
        ranked = text.ranked_ids()[bottom:top]
        ids = [pk for pk, _rank in ranked]
        rank = Case(*(When(pk=pk, then=Value(score)) for pk, score in ranked), default=rank,
                    output_field=FloatField())
    else:
        ids = queryset.values("pk")[bottom:top]
    if filterset.point is not None and text is None and filterset.sort == "distance":
        # Nearest first: the places within the radius are the first ones of the box in that order, so the
        # page is picked from the box (or a smaller one: actors/directory/nearest.py) measuring each place once (not
        # once to filter, once to sort), and the radius is then checked on its rows alone.
        point, km = filterset.point, filterset.radius_km
        nearest, _radius = nearest_ids(filterset.queryset_without("pres_de"), order=queryset.query.order_by,
                                       point=point, km=km, top=top, count=page.paginator.count)
        ids = nearest[bottom:top]
        rows = rows.filter(queries.within(point, km))
    rows = rows.filter(pk__in=ids)
    if filterset.point is not None:
        rows = rows.annotate(distance=Distance("location", filterset.point, spheroid=True))
    if text is not None:
        rows = rows.annotate(rank=rank)
    return list(rows.order_by(*queryset.query.order_by))


def nearest_among_equals_page(filterset: StructureFilter, bottom: int, top: int) -> list[Structure]:
    """A search « près de » a place, by relevance: the matches (at most MATCH_CAP, already measured) are read
    narrow and ordered by actors/directory/nearest.py, then the page's rows are read in full."""
    found = filterset.qs.values_list("pk", "nom", "distance", "rank")
    ids = nearest_among_equals([(pk, nom, distance.m) for pk, nom, distance, _rank in found],
                               filterset.text_search.query)[bottom:top]
    position = {pk: index for index, pk in enumerate(ids)}
    rows = (Structure.objects.select_related("commune").prefetch_related("terms").filter(pk__in=ids)
            .annotate(distance=Distance("location", filterset.point, spheroid=True), rank=Value(0.0)))
    return sorted(rows, key=lambda row: position[row.pk])


def referral_url() -> str:
    try:
        return reverse("actors:referral")
    except NoReverseMatch:  # the referral sheet lives on another branch until merged
        return "/orientation/"


def directory_context(request, base_queryset, now: dt.datetime | None = None, anchor: str = "",
                      count_url: str = "") -> dict:
    """Everything the `actors/_directory.html` partial shows: filtered page of rows, facets, hints.

    Shared by the list page and the territory pages (which pass their territory's structures). `count_url`: where
    the « Voir les N résultats » button asks its number; only the list of all public places has one.
    """
    filterset = StructureFilter(request.GET, base_queryset, request=request, now=now)
    filterset.qs  # noqa: B018 - builds the conditions and runs the bounded text search
    text = filterset.text_search
    broad = text is not None and text.broad
    if broad:
        # Counting or grouping a very broad text match would read every match: the capped count stands and
        # per-option counts are not shown (textsearch.py).
        counted, term_counts = facets.Totals(text.total), None
    else:
        # Count, places left out and facets: once per filter set (text included) and data version (listcache).
        # A text search is asked again page after page, and on coming back from a place's page.
        counted, term_counts = listcache.counts(filterset, scope=request.path)
    # get_page() turns "abc" into page 1 and 99999 into the last page instead of a 404.
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    paginator.count = counted.total  # a cached_property: the paginator does not count again
    page = paginator.get_page(request.GET.get("page"))
    rows = page_rows(filterset, page)
    decorate(rows, now or timezone.now(), days_asked(filterset))
    options = facets.options(filterset, term_counts)
    total = counted.total
    chips = active_chips(request.GET, filterset)
    understood_chips(request.GET, filterset, chips)
    needs = text.query.needs if text is not None else []
    radius = int(filterset.radius_km) if filterset.radius_km == int(filterset.radius_km) else filterset.radius_km
    return {
        "path": request.path,
        "anchor": anchor,
        "rows": rows,
        "page_obj": page,
        "total": total,
        "total_capped": broad,
        "notices": filterset.notices,
        "origin_is_approximate": filterset.origin_is_approximate,
        "data": filterset.cleaned,
        "service_groups": [
            (label, [o for o in options["services"] if o.code in codes]) for label, codes in SERVICE_GROUPS.values()
        ],
        "fieldsets": [
            (name, legend, [o for o in options[name] if not (name in LONG_VOCABULARIES and o.count == 0
                                                            and not o.checked)])
            for name, legend in FIELDSETS
        ],
        "weekdays": WEEKDAYS,
        "hours": hour_choices(filterset.cleaned.get("heure") or ""),
        "sorts": SORTS,
        "sort": filterset.sort,
        "sort_label": dict(SORTS)[filterset.sort],
        "radii": sorted({*RADII, radius}),
        "radius": radius,
        "chips": chips,
        "typed_q": filterset.typed,
        "needs": needs,
        "understood": filterset.understood is not None or bool(needs),
        "as_typed_url": as_typed_url(request.GET) if filterset.understood is not None or needs else "",
        "title_filters": title_filters(chips),
        "qpv_code": filterset.qpv_code,
        "qpv_name": filterset.qpv_name,
        "qpv_distance": (filterset.cleaned.get("qpv_distance") or "300m") if filterset.qpv_code else "",
        "qpv_distances": QPV_DISTANCE_CHOICES,
        "relax": [] if total else relax_suggestions(request.GET, filterset),
        "words": [] if total else word_counts(request.GET, filterset),
        "beyond": None if total else beyond_radius(request.GET, filterset),
        "querystring": querystring_without(request.GET, "page"),
        "referral_url": referral_url(),
        "active_count": len(filterset.conditions),
        "when": when_line(filterset),
        "left_out": left_out(request.GET, counted),
        "count_url": count_url,
        "place_choices": place_choices(request.GET, filterset),
    }


def place_choices(query, filterset: StructureFilter) -> list[dict]:
    """Communes of the name read in the box, each a link to the search in that commune (its words taken out)."""
    understood = filterset.understood
    if understood is None or not understood.choices:
        return []
    words = understood.text_without("commune", filterset.typed)
    found = []
    for code, label in understood.choices:
        chosen = query.copy()
        chosen["q"], chosen["commune"] = words, code
        found.append({"name": label.rsplit(" (", 1)[0], "label": label,
                      "url": "?" + querystring_without(chosen, "page")})
    return found


def days_asked(filterset: StructureFilter) -> tuple[dt.date, ...]:
    """The dates a card answers for: a day, or the weekend, asked (not « maintenant », which is today's status,
    nor « après 18 h » alone, a whole week)."""
    window = filterset.window
    if window is None or filterset.cleaned.get("ouvert") or len(window.days) > 2:
        return ()
    return window.days


def hour_choices(current: str) -> list[tuple[str, str]]:
    """Whole hours of a working day, plus the one in the URL when it is another (« 14:30 »)."""
    choices = [(str(hour), f"{hour} h") for hour in range(7, 22)]
    if current and current not in dict(choices):
        minute = parse_hour(current)
        choices.append((current, hours.format_minutes(minute) if minute is not None else current))
    return choices


def when_line(filterset: StructureFilter) -> str:
    """The real dates the opening filters answered for: « Ouverts le samedi 28 novembre »."""
    window = filterset.window
    if window is None:
        return ""
    today = opening.local_naive(filterset.now or timezone.now()).date()
    if filterset.cleaned.get("ouvert"):
        return _("Ouverts maintenant (fermetures temporaires et jours fériés comptés).")
    if len(window.days) == 1:
        return _("Ouverts le %(day)s (fermetures temporaires et jours fériés comptés).") % {
            "day": day_label(window.days[0], today)}
    return _("Ouverts du %(first)s au %(last)s (fermetures temporaires et jours fériés comptés).") % {
        "first": day_label(window.days[0], today), "last": day_label(window.days[-1], today)}


def day_label(day: dt.date, today: dt.date) -> str:
    """« samedi 28 novembre », with « aujourd'hui » when it is today."""
    text = f"{opening.weekday_name(day.weekday())} {opening.format_date(day, today)}"
    return _("%(day)s (aujourd'hui)") % {"day": text} if day == today else text


def left_out(query, counted: facets.Totals) -> list[dict]:
    """« 312 lieux aux horaires non renseignés ne sont pas comptés », with a link that shows them."""
    notes = []
    if counted.unknown_hours:
        without = query.copy()
        for name in OPENING:
            without.pop(name, None)
        without.setlist("inconnu", ["horaires"])
        notes.append({"text": ngettext(
            "%(n)s lieu aux horaires non renseignés n'est pas compté comme ouvert.",
            "%(n)s lieux aux horaires non renseignés ne sont pas comptés comme ouverts.", counted.unknown_hours,
        ) % {"n": counted.unknown_hours}, "url": "?" + querystring_without(without, "page")})
    if counted.unknown_fees:
        without = query.copy()
        without.pop("frais", None)
        without.setlist("inconnu", ["frais"])
        notes.append({"text": ngettext(
            "%(n)s lieu aux frais non précisés n'est pas compté.",
            "%(n)s lieux aux frais non précisés ne sont pas comptés.", counted.unknown_fees,
        ) % {"n": counted.unknown_fees}, "url": "?" + querystring_without(without, "page")})
    return notes


class DirectoryMixin:
    """The directory of a set of structures; subclasses narrow `get_base_queryset`."""

    now: dt.datetime | None = None
    anchor = ""

    def get_base_queryset(self):
        return Structure.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["directory"] = directory_context(self.request, self.get_base_queryset(), self.now, self.anchor,
                                                 count_url=reverse("actors:list_count"))
        return context


def querystring_without(query, name: str, value: str | None = None) -> str:
    """The current query string minus one parameter (or one of its values)."""
    copy = query.copy()
    if value is None:
        copy.pop(name, None)
    else:
        copy.setlist(name, [v for v in copy.getlist(name) if v != value])
    copy.pop("page", None)
    return copy.urlencode()


def _label(filterset: StructureFilter, name: str) -> str:
    labels = {
        "q": _("Recherche"), "pres_de": _("Près de"), "departement": _("Département"), "epci": _("EPCI"),
        "commune": _("Commune"), "qpv": _("Quartier prioritaire"), "ouvert": _("Ouvert maintenant"),
        "jour": _("Ouvert le"), "soir": _("Ouvert après 18 h"), "weekend": _("Ouvert le week-end"),
        "heure": _("Ouvert à"), "inconnu": _("Information manquante"), "fraicheur": _("Fraîcheur"),
    }
    return labels.get(name) or str(filterset.filters[name].label)


def _value_label(filterset: StructureFilter, name: str, value: str) -> str:
    data = filterset.cleaned
    if name in TERM_FILTERS:
        kind = TERM_FILTERS[name][0]
        return next((t.display_label for t in filterset.terms if t.kind == kind and t.code == value), value)
    if name == "jour":
        if filterset.window is not None and len(filterset.window.days) == 1:
            today = opening.local_naive(filterset.now or timezone.now()).date()
            return day_label(filterset.window.days[0], today)
        return str(dict(WEEKDAYS)[data["jour"]])
    if name == "heure":
        minute = parse_hour(value)
        return hours.format_minutes(minute) if minute is not None else value
    if name == "inconnu":
        return ", ".join(str(dict(UNKNOWN)[code]) for code in data["inconnu"])
    if name == "fraicheur":
        return str(dict(FRESHNESS)[value])
    if name == "ateliers":
        return _("cette semaine")
    if name == "qpv":
        return qpv_label(filterset)
    if name == "pres_de" and filterset.located is not None:
        return f"{filterset.located.label or value} ({filterset.radius_km:g} km)"
    if name == "pres_de" and filterset.place is not None:
        return f"{filterset.place.name} ({filterset.radius_km:g} km)"
    if name in ("ouvert", "soir", "weekend"):
        return _("oui")
    if name in ("departement", "epci", "commune"):
        # A name, not a code ("Bordeaux", not "33063"): one small query per territory chip.
        model = {"departement": Departement, "epci": EPCI, "commune": Commune}[name]
        found = model.objects.filter(pk=value).values_list("name", flat=True).first()
        return f"{found} ({value})" if found else value
    return value


def qpv_label(filterset: StructureFilter) -> str:
    """« dans un QPV », « à moins de 300 m d'un QPV » or « Couronneries Saint-Éloi — moins de 300 m »."""
    metres = filterset.qpv_within_m
    if filterset.qpv_code is None:
        return {0: _("dans un QPV"), 300: _("à moins de 300 m d'un QPV")}.get(metres, _("à moins de 1 km d'un QPV"))
    name = filterset.qpv_name or filterset.qpv_code
    distance = {0: _("dans le quartier"), 300: _("moins de 300 m")}.get(metres, _("moins de 1 km"))
    return f"{name} — {distance}"


def active_chips(query, filterset: StructureFilter) -> list[dict]:
    """One removable chip per active filter value: label and the URL without it."""
    chips = []
    data = filterset.cleaned
    for name in filterset.conditions:
        if name in TERM_FILTERS:
            for value in data[name]:
                chips.append({"label": _label(filterset, name), "value": _value_label(filterset, name, value),
                              "url": "?" + querystring_without(query, name, value)})
        elif name == "pres_de":
            without = query.copy()
            for key in NEAR_PARAMETERS:
                without.pop(key, None)
            value = _value_label(filterset, name, data.get("pres_de") or "") if data.get("pres_de") else _(
                "ma position")
            chips.append({"label": _label(filterset, name), "value": value, "name": name,
                          "url": "?" + querystring_without(without, "page")})
        else:
            without = query.copy()
            if name == "qpv":
                without.pop("qpv_distance", None)
            chips.append({"label": _label(filterset, name), "value": _value_label(filterset, name, str(data[name])),
                          "name": name, "url": "?" + querystring_without(without, name)})
    return chips


def understood_chips(query, filterset: StructureFilter, chips: list[dict]) -> None:
    """Chips of filters read from the box remove their words from it, not a parameter the URL never had."""
    understood = filterset.understood
    if understood is None:
        return
    for chip in chips:
        name = chip.get("name")
        if name in understood.phrases or name == "q":
            chip["url"] = "?" + querystring_without(without_understood(query, filterset, name), "page")


def without_understood(query, filterset: StructureFilter, name: str):
    """The query without filter `name`; when the box said it, without its words (else they would say it again).
    Without the text (`q`), the box keeps the words read as a day or a place."""
    understood = filterset.understood
    without = query.copy()
    for key in NEAR_PARAMETERS if name == "pres_de" else (name,):
        without.pop(key, None)
    if understood is not None and name in understood.phrases:
        without["q"] = understood.text_without(name, filterset.typed)
    elif understood is not None and name == "q":
        without["q"] = " ".join(understood.phrases.values())
    return without


def as_typed_url(query) -> str:
    """The same search with the box's words taken literally (« chercher les mots tels quels »)."""
    copy = query.copy()
    copy["tels_quels"] = "1"
    return "?" + querystring_without(copy, "page")


def title_filters(chips: list[dict]) -> str:
    """The active filters in words, for a page's <title>: « Commune : Poitiers (86194), Ouvert maintenant »."""
    return ", ".join(chip["label"] if chip["value"] == _("oui") else f"{chip['label']} : {chip['value']}"
                     for chip in chips)


def relax_suggestions(query, filterset: StructureFilter) -> list[dict]:
    """Active filters whose removal would give results, most results first, with the URL without them."""
    suggestions = []
    for name, count in sorted(facets.relax_counts(filterset).items(), key=lambda item: -item[1]):
        if not count:
            continue
        without = without_understood(query, filterset, name)
        suggestions.append({"label": _label(filterset, name), "count": count,
                            "url": "?" + querystring_without(without, "page")})
    return suggestions


class StructureListView(DirectoryMixin, TemplateView):
    template_name = "actors/structure_list.html"
