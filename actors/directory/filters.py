"""`StructureFilter`: the one FilterSet of structures, shared by the list, the map data and the exports.

The URL holds readable codes (`?services=aide-aux-demarches-administratives&frais=gratuit&jour=samedi`).
Unknown or malformed values never fail: they are dropped and listed in `notices` ("Filtre ignoré : ...").
Each active filter is kept as a boolean condition in `conditions`, so facets.py can count "with this
filter removed" for every filter in one query.
"""

import datetime as dt
import re
from functools import cached_property

import django_filters
from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.core.validators import RegexValidator
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.core import search_index
from actors.core.honest_facts import claim_evidence
from actors.directory import conditions as queries
from actors.directory import geocoder
from actors.directory.text_query import TextSearch
from actors.directory.understanding import Understood, understand
from actors.index import places
from actors.models import Structure, Term
from actors.opening import status
from actors.opening import window as when
from actors.opening.window import parse_hour
from actors.vocabulary.enums import SERVICE_GROUPS, TermKind
from territories.communes import commune_from_text_cached, says_more_than_the_commune
from territories.models import QPV, Commune
from territories.text import fold

# URL parameter -> (vocabulary, combination of several ticked values).
# "all": a place must offer every ticked value (needs: a service AND a language AND a public);
# "any": ticked values are alternatives (a médiathèque OR a CCAS; free OR free under conditions).
TERM_FILTERS = {
    "services": (TermKind.SERVICES, "all"),
    "publics": (TermKind.PUBLICS, "all"),
    "prise_en_charge": (TermKind.PRISE_EN_CHARGE, "all"),
    "frais": (TermKind.FRAIS, "any"),
    "acces": (TermKind.ACCES, "any"),
    "accompagnement": (TermKind.ACCOMPAGNEMENT, "all"),
    "dispositifs": (TermKind.DISPOSITIFS, "all"),
    "labels": (TermKind.FORMATIONS, "all"),
    "typologie": (TermKind.TYPOLOGIE, "any"),
    "itinerance": (TermKind.ITINERANCE, "any"),
}
WEEKDAYS = [
    ("lundi", _("lundi")), ("mardi", _("mardi")), ("mercredi", _("mercredi")), ("jeudi", _("jeudi")),
    ("vendredi", _("vendredi")), ("samedi", _("samedi")), ("dimanche", _("dimanche")),
]
WEEKDAY_INDEX = {code: index for index, (code, _label) in enumerate(WEEKDAYS)}
SORTS = [
    ("pertinence", _("pertinence")), ("distance", _("distance")), ("nom", _("nom")),
    ("verification", _("dernière vérification")),
]
# The opening filters: they make one question (actors.opening.window.Window), answered on real dates.
OPENING = ("ouvert", "jour", "heure", "soir", "weekend")
# Filters whose answer moves with the minute (a place opens, a session ends): cached answers hold the minute.
AT_THE_MINUTE = ("ouvert", "ateliers")
# Filters the counts also ask about without (facets of any-of options, places left out by opening or fees):
# a text search first finds its matches without them (actors/directory/text_query.py).
COUNTED_APART = OPENING + tuple(name for name, (_kind, mode) in TERM_FILTERS.items() if mode == "any")
# Filters that narrow the places more than most words do: SQLite reads them first, then tests the words.
NARROWING = ("departement", "epci", "commune", "qpv", "pres_de")
UNKNOWN = [("horaires", _("horaires non renseignés")), ("frais", _("frais non précisés"))]
FRESHNESS = [("a-verifier", _("à vérifier")), ("a-jour", _("à jour"))]
QPV_CHOICES_HELP = _("« dans », « 300m », « 1km » ou un code de QPV")
# The three distances to a QPV (territories.qpv_distance.RINGS_M); "proche" is the older name of 300 m.
QPV_DISTANCES = {"dans": 0, "300m": 300, "1km": 1000, "proche": 300}
QPV_DISTANCE_CHOICES = [("dans", _("dans le quartier")), ("300m", _("moins de 300 m")), ("1km", _("moins de 1 km"))]
YES = [("1", _("oui"))]
DEFAULT_RADIUS_KM = 10
MAX_QUERY_CHARS = 200


class StructureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), strip=True)
    departement = django_filters.CharFilter(
        label=_("Département"), validators=[RegexValidator(r"^(\d{2,3}|2[AB])$")]
    )
    epci = django_filters.CharFilter(label=_("EPCI"), validators=[RegexValidator(r"^\d{9}$")])
    commune = django_filters.CharFilter(label=_("Commune"), validators=[RegexValidator(r"^\d[\dAB]\d{3}$")])
    qpv = django_filters.CharFilter(
        label=_("Quartier prioritaire"), help_text=QPV_CHOICES_HELP,
        validators=[RegexValidator(r"^(dans|300m|1km|proche|QN[0-9A-Z]{5,8})$")],
    )
    # With a QPV code: how far from that QPV (inside it by default… within 300 m, as before distances).
    qpv_distance = django_filters.ChoiceFilter(label=_("Distance du quartier"), choices=QPV_DISTANCE_CHOICES)
    # The map's plain-language needs: each one is a group of services (any of them), see SERVICE_GROUPS.
    besoin = django_filters.MultipleChoiceFilter(
        label=_("J'ai besoin de"), choices=[(key, label) for key, (label, _codes) in SERVICE_GROUPS.items()]
    )
    services = django_filters.MultipleChoiceFilter(label=_("Services"))
    publics = django_filters.MultipleChoiceFilter(label=_("Publics"))
    prise_en_charge = django_filters.MultipleChoiceFilter(label=_("Accompagnement adapté"))
    frais = django_filters.MultipleChoiceFilter(label=_("Frais"))
    acces = django_filters.MultipleChoiceFilter(label=_("Modalités d'accès"))
    accompagnement = django_filters.MultipleChoiceFilter(label=_("Modalités d'accompagnement"))
    dispositifs = django_filters.MultipleChoiceFilter(label=_("Dispositifs nationaux"))
    labels = django_filters.MultipleChoiceFilter(label=_("Formations et labels"))
    typologie = django_filters.MultipleChoiceFilter(label=_("Type de lieu"))
    itinerance = django_filters.MultipleChoiceFilter(label=_("Itinérance"))
    ouvert = django_filters.ChoiceFilter(label=_("Ouvert maintenant"), choices=[("maintenant", _("maintenant"))])
    jour = django_filters.ChoiceFilter(label=_("Ouvert le"), choices=WEEKDAYS)
    heure = django_filters.CharFilter(label=_("Ouvert à"), help_text=_("Une heure : 14, 14 h 30 ou 14:30"))
    soir = django_filters.ChoiceFilter(label=_("Ouvert après 18 h"), choices=YES)
    weekend = django_filters.ChoiceFilter(label=_("Ouvert le week-end"), choices=YES)
    inconnu = django_filters.MultipleChoiceFilter(label=_("Information manquante"), choices=UNKNOWN)
    fraicheur = django_filters.ChoiceFilter(label=_("Fraîcheur"), choices=FRESHNESS)
    ateliers = django_filters.ChoiceFilter(label=_("Ateliers"), choices=[("semaine", _("cette semaine"))])
    pres_de = django_filters.CharFilter(label=_("Près de"), help_text=_("Commune, code postal ou adresse"))
    lat = django_filters.NumberFilter(label=_("Latitude"), min_value=-90, max_value=90)
    lon = django_filters.NumberFilter(label=_("Longitude"), min_value=-180, max_value=180)
    rayon = django_filters.NumberFilter(label=_("Rayon (km)"), min_value=0.1)
    tri = django_filters.ChoiceFilter(label=_("Trier par"), choices=SORTS)
    # The words of the box as typed: no day, time or place read out of them (actors/directory/understanding.py).
    tels_quels = django_filters.ChoiceFilter(label=_("Mots tels quels"), choices=YES)

    class Meta:
        model = Structure
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, now: dt.datetime | None = None):
        if queryset is None:
            queryset = Structure.objects.public()
        self.now = now
        self.window: when.Window | None = None
        self._uncertain: dict | None = None
        self.notices: list[str] = []
        self.terms = list(Term.objects.all())
        self.conditions: dict[str, Q] = {}
        self.point: Point | None = None
        self.place: Commune | None = None
        # "Près de" an address that could only be placed at its commune's centre: distances are approximate.
        self.origin_is_approximate = False
        # « Près de » an address the geocoder placed (GEOCODER_URL): distances are measured from it.
        self.located: geocoder.Located | None = None
        self.radius_km: float = DEFAULT_RADIUS_KM
        self.text = ""
        self.text_search: TextSearch | None = None
        self.full_conditions: dict[str, Q] = {}
        self.understood: Understood | None = None
        self.typed = ""  # the box's text as typed, before understanding
        super().__init__(self._drop_unknown_terms(data), queryset, request=request, prefix=prefix)
        for name, (kind, _mode) in TERM_FILTERS.items():
            self.filters[name].extra["choices"] = [(t.code, t.display_label) for t in self.terms if t.kind == kind]

    # -- input hygiene -------------------------------------------------------------------------------
    def _drop_unknown_terms(self, data):
        """Keep the known codes of a multi-valued parameter, so one typo does not drop the whole filter."""
        if data is None:
            return None
        data = data.copy()
        known = {(t.kind, t.code) for t in self.terms}
        for name, (kind, _mode) in TERM_FILTERS.items():
            values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
            if isinstance(values, str):
                values = [values]
            kept = [v for v in values if (kind, v) in known]
            for value in values:
                if (kind, value) not in known and value:
                    self.notices.append(_ignored(self.base_filters[name].label, value))
            if hasattr(data, "setlist"):
                data.setlist(name, kept)
            else:
                data[name] = kept
        self._single_values(data)
        text = data.get("q") or ""
        if len(text) > MAX_QUERY_CHARS:
            data["q"] = text[:MAX_QUERY_CHARS]
            self.notices.append(str(_("Recherche raccourcie à %(n)s caractères.") % {"n": MAX_QUERY_CHARS}))
        self._understand(data)
        self._clean_opening(data)
        return data

    def _single_values(self, data) -> None:
        """A repeated one-value parameter keeps its last value (as the form reads it) and says so."""
        if not hasattr(data, "getlist"):
            return
        for name, filter_ in self.base_filters.items():
            if isinstance(filter_, django_filters.MultipleChoiceFilter):
                continue
            values = [value for value in data.getlist(name) if value != ""]
            if len(set(values)) > 1:
                self.notices.append(str(
                    _("« %(label)s » est donné plusieurs fois : seule la dernière valeur, « %(value)s », est retenue.")
                    % {"label": filter_.label, "value": values[-1][:80]}))
                data.setlist(name, values[-1:])

    def _understand(self, data) -> None:
        """Day, time and place words of the box become their filters, unless given apart or refused."""
        self.typed = (data.get("q") or "")[:MAX_QUERY_CHARS]
        if not self.typed or data.get("tels_quels"):
            return
        # A territory given apart wins: a place named in the box is then searched as words (« poitiers » in the
        # Gironde is a name to find, not a second territory).
        placed = any(data.get(name) for name in ("pres_de", "lat", "commune", "departement", "epci", "qpv"))
        understood = understand(self.typed, today=status.local_naive(self.now or timezone.now()).date(),
                                read_place=not placed)
        for name in list(understood.filters):
            if data.get(name):
                del understood.filters[name]  # the filter given apart wins; its words are not searched twice
        for name, value in understood.filters.items():
            data[name] = value
        # Words typed in capitals stay so: they are acronyms, matched whole (actors/core/search_index.py).
        capitals = {fold(word) for word in re.findall(r"\w+", self.typed) if len(word) >= 2 and word.isupper()}
        data["q"] = " ".join(word.upper() if word in capitals else word for word in understood.text.split())
        self.understood = understood if understood.phrases else None

    def _clean_opening(self, data) -> None:
        """Day names and hours read leniently; impossible combinations are dropped with a notice."""
        day = data.get("jour") or ""
        if day:
            folded = fold(day).strip()
            if folded in WEEKDAY_INDEX:
                data["jour"] = folded
            else:
                data["jour"] = ""
                self.notices.append(str(_("Jour inconnu : « %(value)s » (lundi, mardi… dimanche). Filtre ignoré.")
                                        % {"value": day[:80]}))
        hour = (data.get("heure") or "").strip()
        if hour:
            minute = parse_hour(hour)
            if minute is None:
                data["heure"] = ""
                self.notices.append(str(_("Heure illisible ou hors de la journée : « %(value)s » (de 0 h à 23 h 59, "
                                          "par exemple 18 ou 18:30). Filtre ignoré.") % {"value": hour[:80]}))
        if data.get("ouvert"):
            dropped = [name for name in ("jour", "heure", "soir", "weekend") if data.get(name)]
            if dropped:
                for name in dropped:
                    data[name] = ""
                self.notices.append(str(_("« Ouvert maintenant » ne se combine pas avec %(filters)s : seul « Ouvert "
                                          "maintenant » est retenu.") % {
                    "filters": ", ".join(f"« {self.base_filters[name].label} »" for name in dropped)}))
        weekday = WEEKDAY_INDEX.get(data.get("jour") or "")
        if weekday is not None and data.get("weekend") and weekday not in when.WEEKEND:
            data["weekend"] = ""
            self.notices.append(str(_("« Ouvert le %(day)s » et « le week-end » ne vont pas ensemble : seul le jour "
                                      "est retenu.") % {"day": data["jour"]}))

    @property
    def cleaned(self) -> dict:
        self.errors  # noqa: B018 - validates once, fills notices
        return self.form.cleaned_data

    @property
    def errors(self):
        errors = self.form.errors
        if not getattr(self, "_errors_noted", False):
            self._errors_noted = True
            for name in errors:
                raw = self.data.get(name, "")
                self.notices.append(_ignored(self.filters[name].label, raw))
        return errors

    @property
    def qpv_code(self) -> str | None:
        """The QPV asked for by its code, or None for « any QPV »."""
        which = self.cleaned.get("qpv") or ""
        return None if not which or which in QPV_DISTANCES else which

    @property
    def qpv_within_m(self) -> int:
        which = self.cleaned.get("qpv") or ""
        if self.qpv_code is None:
            return QPV_DISTANCES.get(which, 0)
        return QPV_DISTANCES[self.cleaned.get("qpv_distance") or "300m"]

    @cached_property
    def qpv_name(self) -> str | None:
        """The name of the QPV asked for by its code (one query, only then)."""
        if self.qpv_code is None:
            return None
        return QPV.objects.filter(pk=self.qpv_code).values_list("name", flat=True).first()

    # -- conditions ----------------------------------------------------------------------------------
    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.cleaned
        conditions = {}
        for name, (kind, mode) in TERM_FILTERS.items():
            codes = data.get(name) or []
            if codes:
                ids = self.term_ids(kind, codes)
                # Blanket claims (actors/core/honest_facts.py) are no evidence for the publics and support lists.
                conditions[name] = claim_evidence(kind) & (
                    Q(*[queries.with_term_ids([pk]) for pk in ids]) if mode == "all" else queries.with_term_ids(ids)
                )
        if data.get("besoin"):
            conditions["besoin"] = Q(*[
                queries.with_term_ids(self.term_ids(TermKind.SERVICES, SERVICE_GROUPS[need][1]))
                for need in data["besoin"]
            ])
        if data.get("departement"):
            conditions["departement"] = queries.in_departement(data["departement"])
        if data.get("epci"):
            conditions["epci"] = queries.in_epci(data["epci"])
        if data.get("commune"):
            conditions["commune"] = queries.in_commune(data["commune"])
        if data.get("qpv"):
            code, within_m = self.qpv_code, self.qpv_within_m
            conditions["qpv"] = queries.in_qpv(code=code, within_m=within_m)
        opening_names = [name for name in OPENING if data.get(name)]
        if opening_names:
            self.window = self._window(data, set())
            conditions[opening_names[0]] = self._opening_condition(self.window)
            conditions.update((name, Q()) for name in opening_names[1:])  # all asked in the first one
        for value in data.get("inconnu") or []:
            conditions.setdefault("inconnu", Q())
            conditions["inconnu"] &= queries.hours_unknown() if value == "horaires" else queries.fees_unknown()
        if data.get("fraicheur"):
            stale = queries.stale(self.now or timezone.now())
            conditions["fraicheur"] = stale if data["fraicheur"] == "a-verifier" else ~stale
        if data.get("ateliers"):
            conditions["ateliers"] = queries.with_sessions_this_week(self.now or timezone.now())
        self.text = data.get("q") or ""
        query = search_index.parse(self.text, needs=not data.get("tels_quels")) if self.text else None
        if self.text and query is None:
            if self.understood is None:  # words understood as a day or a place are not ignored
                self.notices.append(_ignored(_("Recherche"), self.text))
            self.text = ""
        self._resolve_point(data)
        if self.point is not None:
            conditions["pres_de"] = queries.near(self.point, self.radius_km)
        self.conditions = conditions

        queryset = queryset.filter(*conditions.values()).select_related("commune")
        self.text_search = None
        if query is not None:
            # Counted up to a cap, corrected when nothing matches, ranked or listed by name (textsearch.py).
            core = [condition for name, condition in conditions.items() if name not in COUNTED_APART]
            rest = [condition for name, condition in conditions.items() if name in COUNTED_APART]
            self.text_search = TextSearch(
                queryset, query, core=self.queryset.filter(*core) if rest else None, everything=self.queryset,
                rest=rest, filters_drive=any(name in conditions for name in NARROWING),
            ).run()
            self.notices.extend(self.text_search.notices)
            self.full_conditions = {**conditions, "q": self.text_search.match_condition}
            if self.text_search.known is not None:
                # The core filters are in the known ids: counts and facets test those ids, not the filters again.
                conditions.update((name, Q()) for name in list(conditions) if name not in COUNTED_APART)
            conditions["q"] = self.text_search.condition
            queryset = self.text_search.queryset()
        if self.point is not None:
            queryset = queryset.annotate(distance=Distance("location", self.point, spheroid=True))
        return queryset.order_by(*self._ordering(data.get("tri")))

    def term_ids(self, kind: str, codes: list[str]) -> list[int]:
        """Ids of the given codes, from the vocabulary read once per filter set (no join at query time)."""
        wanted = set(codes)
        return [term.pk for term in self.terms if term.kind == kind and term.code in wanted]

    def _resolve_point(self, data: dict) -> None:
        radius = data.get("rayon")
        if radius is not None:
            self.radius_km = float(radius)
            if self.radius_km > queries.MAX_RADIUS_KM:
                self.radius_km = queries.MAX_RADIUS_KM
                self.notices.append(
                    str(_("Rayon ramené à %(km)s km, le maximum.") % {"km": queries.MAX_RADIUS_KM})
                )
        if data.get("lat") is not None and data.get("lon") is not None:
            self.point = Point(float(data["lon"]), float(data["lat"]), srid=4326)
            return
        text = data.get("pres_de") or ""
        if not text:
            return
        self.place = commune_from_text_cached(text)
        if settings.GEOCODER_URL and (self.place is None or says_more_than_the_commune(text, self.place)):
            self.located = geocoder.geocode(text)
            if self.located is not None:
                self.point = Point(self.located.lon, self.located.lat, srid=4326)
                return
        if self.place is None or self.place.centre is None:
            self.notices.append(
                str(_("Lieu introuvable : « %(text)s » (essayez un nom de commune ou un code postal).")
                    % {"text": text[:80]})
            )
            self.place = None
            return
        self.point = self.place.centre
        if says_more_than_the_commune(text, self.place):
            self.origin_is_approximate = True
            self.notices.append(
                str(_("Position approximative : l'adresse « %(text)s » n'a pas pu être localisée précisément ; "
                      "les lieux sont classés depuis le centre de %(commune)s.")
                    % {"text": text[:80], "commune": self.place.name})
            )

    @property
    def sort(self) -> str:
        wanted = self.cleaned.get("tri") or ""
        return self._sort_key(wanted)

    def _sort_key(self, wanted: str) -> str:
        if wanted == "pertinence" and self.text:
            return "pertinence"
        if wanted == "distance" and self.point is not None:
            return "distance"
        if wanted in ("nom", "verification"):
            return wanted
        if self.text:
            return "pertinence"
        return "distance" if self.point is not None else "nom"

    def _ordering(self, wanted: str | None) -> list:
        key = self._sort_key(wanted or "")
        if key == "pertinence" and self.text_search is not None and self.text_search.broad:
            key = "nom"  # a very broad match is listed by name (actors/directory/text_query.py)
        return {
            # The quality score (actors/core/quality.py) breaks ties before the name.
            "pertinence": ["-rank", "-quality", "nom", "pk"],
            "distance": ["distance", "-quality", "nom", "pk"],
            "nom": ["nom", "pk"],
            "verification": [F("verified_at").desc(nulls_last=True), "nom", "pk"],
        }[key]

    # -- opening: one window, exact in SQL for regular hours, settled by opening_hours for the others --
    def _window(self, data: dict, without: set[str]) -> when.Window:
        now = status.local_naive(self.now or timezone.now())
        asked = {name: data.get(name) for name in OPENING if name not in without}
        return when.window_for(
            now=now, right_now=bool(asked.get("ouvert")),
            weekday=WEEKDAY_INDEX[asked["jour"]] if asked.get("jour") else None,
            at=parse_hour(asked["heure"]) if asked.get("heure") else None,
            evening=bool(asked.get("soir")), weekend=bool(asked.get("weekend")),
        )

    def _opening_condition(self, window: when.Window) -> Q:
        if self._uncertain is None:  # one query for the whole coming week, shared by every variant of the question
            days = when.coming_days(status.local_naive(self.now or timezone.now()).date())
            index = places.current() if places.answers_for(self.queryset) else None
            self._uncertain = index_uncertain(index, days) if index is not None else queries.uncertain(
                self.queryset, days)
        settled = [pk for pk, (horaires, closures) in self._uncertain.items() if window.holds(horaires, closures)]
        return queries.open_during(window, settled)

    def _conditions_for(self, name: str) -> dict[str, Q]:
        """The conditions to drop `name` from: with a text search whose known ids hold the core filters, removing
        one of those (or the text) needs every filter written out and the text's own match."""
        if "q" in self.conditions and name != "" and name not in COUNTED_APART:
            return dict(self.full_conditions)
        return dict(self.conditions)

    def conditions_without(self, name: str) -> list[Q]:
        """The active conditions with filter `name` removed (the opening question asked again without it)."""
        self.qs  # noqa: B018 - builds the conditions
        conditions = self._conditions_for(name)
        if name not in OPENING:
            return [c for n, c in conditions.items() if n != name]
        others = [c for n, c in conditions.items() if n not in OPENING]
        rest = [n for n in OPENING if n in self.conditions and n != name]
        if rest:
            others.append(self._opening_condition(self._window(self.cleaned, {name})))
        return others

    # -- helpers for facets, relax counts and other consumers (map, exports) -------------------------
    def selection(self) -> QuerySet:
        """The filtered rows without ordering or annotations, for subqueries (facets, map, exports)."""
        return self.queryset_without("")

    def queryset_without(self, name: str) -> QuerySet:
        """The base selection with every active filter except `name` (ordering and annotations dropped)."""
        self.qs  # noqa: B018 - builds the conditions
        return self.queryset.filter(*[c for n, c in self._conditions_for(name).items() if n != name])

    @property
    def active(self) -> list[str]:
        self.qs  # noqa: B018
        return list(self.conditions)


def index_uncertain(index: places.PlaceIndex, days: list[dt.date]) -> dict[int, tuple[str, list]]:
    """queries.uncertain for the public places, read from the place index (actors/index/) without a query."""
    return {int(index.pks[position]): (horaires, [queries.DatedClosure(*closure) for closure in closures])
            for position, (horaires, closures) in index.uncertain(days[0], days[-1]).items()}


def _ignored(label, value) -> str:
    return str(_("Filtre ignoré : %(label)s = « %(value)s »") % {"label": label, "value": str(value)[:80]})
