"""The territories a diagnostic is made for, and their parents (commune → EPCI → département → région → France)."""

from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from actors.models import Structure
from territories.models import EPCI, QPV, Commune, Departement, Region

KIND_LABELS = {
    "commune": _("Commune"),
    "epci": _("Intercommunalité"),
    "departement": _("Département"),
    "region": _("Région"),
    "france": _("France"),
}


@dataclass
class Area:
    kind: str  # commune, epci, departement, region, france
    code: str
    name: str
    # Places are counted where the public sees them; communes are those of the territory (no arrondissement).
    commune_filter: Q = field(repr=False)
    place_filter: Q = field(repr=False)
    qpv_filter: Q | None = field(default=None, repr=False)
    url: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.code}"

    def communes(self) -> QuerySet:
        return Commune.objects.filter(self.commune_filter, kind=Commune.Kind.COMMUNE)

    def places(self) -> QuerySet:
        return Structure.objects.public().filter(self.place_filter)

    def qpvs(self) -> QuerySet:
        if self.qpv_filter is None:
            return QPV.objects.none()
        return QPV.objects.filter(self.qpv_filter).distinct()


def commune_area(commune: Commune) -> Area:
    # Its places and its arrondissements' (actors.directory.conditions.in_commune), read from the commune index:
    # the same rule as "commune or parent", which the engines answer by reading every place.
    return Area(
        "commune", commune.code, commune.name, Q(code=commune.code),
        Q(commune_id__in=Commune.objects.filter(Q(code=commune.code) | Q(parent_id=commune.code)).values("code")),
        Q(communes=commune.code), url=commune.get_absolute_url(),
    )


def epci_area(epci: EPCI) -> Area:
    return Area("epci", epci.siren, epci.name, Q(epci_id=epci.siren), Q(commune__epci_id=epci.siren),
                Q(communes__epci_id=epci.siren), url=epci.get_absolute_url())


def departement_area(departement: Departement) -> Area:
    return Area("departement", departement.code, departement.name, Q(departement_id=departement.code),
                Q(commune__departement_id=departement.code), Q(departement_id=departement.code),
                url=departement.get_absolute_url())


def region_area(region: Region) -> Area:
    return Area("region", region.code, region.name, Q(departement__region_id=region.code),
                Q(commune__departement__region_id=region.code), Q(departement__region_id=region.code))


def france_area() -> Area:
    return Area("france", "FR", "France", Q(), Q(commune__isnull=False), Q())


def area_for(kind: str, code: str) -> tuple[Area, list[Area]]:
    """The area of a territory page and its parents, nearest first; 404 for an unknown code."""
    if not (code.isascii() and code.isalnum()):
        raise Http404(code)
    if kind == "commune":
        commune = get_object_or_404(Commune.objects.select_related("epci", "departement__region"),
                                    pk=code.upper()[:5], kind=Commune.Kind.COMMUNE)
        parents = [epci_area(commune.epci)] if commune.epci else []
        departement = commune.departement
        return commune_area(commune), [*parents, departement_area(departement),
                                       region_area(departement.region), france_area()]
    if kind == "epci":
        epci = get_object_or_404(EPCI, pk=code[:9])
        # An EPCI may straddle two départements: its parent is the one holding most of its inhabitants.
        main = (Departement.objects.filter(communes__epci=epci).select_related("region")
                .annotate(people=Sum("communes__population")).order_by(F("people").desc(nulls_last=True), "code")
                .first())
        parents = [departement_area(main), region_area(main.region)] if main else []
        return epci_area(epci), [*parents, france_area()]
    if kind == "departement":
        departement = get_object_or_404(Departement.objects.select_related("region"), pk=code.upper()[:3])
        return departement_area(departement), [region_area(departement.region), france_area()]
    raise ValueError(kind)
