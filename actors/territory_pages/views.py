"""Territory pages: search, département, EPCI, commune. Each page runs a small, fixed number of queries."""

import json

from django.db.models import Count, F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from actors.directory.views import directory_context
from actors.models import Structure
from territories.models import EPCI, QPV, Commune, Departement
from territories.search import MAX_QUERY_LENGTH, search_territories

BIGGEST_FIRST = F("population").desc(nulls_last=True)


def search(request: HttpRequest) -> HttpResponse:
    result = search_territories(request.GET.get("q", ""))
    return render(request, "territories/search.html", {"search": result, "max_length": MAX_QUERY_LENGTH})


def _qpvs(queryset) -> list[QPV]:
    communes = Prefetch("communes", queryset=Commune.objects.only("code", "name").order_by("name"))
    return list(queryset.distinct().prefetch_related(communes).order_by("name"))


def _map_data(qpvs: list[QPV]) -> dict | None:
    """GeoJSON of the QPV perimeters and the bounds that fit them; no map at all without QPV."""
    if not qpvs:
        return None
    extents = [qpv.perimeter.extent for qpv in qpvs]
    bounds = [[min(e[1] for e in extents), min(e[0] for e in extents)],
              [max(e[3] for e in extents), max(e[2] for e in extents)]]
    features = [{"type": "Feature", "geometry": json.loads(qpv.perimeter.geojson),
                 "properties": {"code": qpv.code, "name": qpv.name}} for qpv in qpvs]
    return {"bounds": bounds, "qpv": {"type": "FeatureCollection", "features": features}}


def departement_detail(request: HttpRequest, code: str) -> HttpResponse:
    departement = get_object_or_404(Departement.objects.select_related("region"), pk=code.upper()[:3])
    communes = list(departement.communes.filter(kind=Commune.Kind.COMMUNE).order_by("name"))
    epcis = list(EPCI.objects.filter(communes__departement=departement, communes__kind=Commune.Kind.COMMUNE)
                 .annotate(communes_here=Count("communes")).order_by(BIGGEST_FIRST, "name"))
    qpvs = _qpvs(departement.qpvs.all())
    return render(request, "territories/departement_detail.html", {
        "territory": departement, "communes": communes, "epcis": epcis, "qpvs": qpvs,
        "population": sum(c.population or 0 for c in communes),
        "map_data": _map_data(qpvs),
        "directory": _directory(request, Structure.objects.public().in_departement(departement.code)),
    })


def epci_detail(request: HttpRequest, siren: str) -> HttpResponse:
    epci = get_object_or_404(EPCI, pk=siren[:9])
    communes = list(epci.communes.filter(kind=Commune.Kind.COMMUNE).select_related("departement")
                    .order_by(BIGGEST_FIRST, "name"))
    departements = sorted({c.departement for c in communes}, key=lambda d: d.code)
    qpvs = _qpvs(QPV.objects.filter(communes__epci=epci))
    return render(request, "territories/epci_detail.html", {
        "territory": epci, "communes": communes, "departements": departements, "qpvs": qpvs,
        "map_data": _map_data(qpvs),
        "directory": _directory(request, Structure.objects.public().in_epci(epci.siren)),
    })


def commune_detail(request: HttpRequest, code: str) -> HttpResponse:
    commune = get_object_or_404(
        Commune.objects.select_related("departement__region", "epci", "parent"), pk=code.upper()[:5])
    arrondissements = list(commune.arrondissements.order_by("code"))
    qpvs = _qpvs(commune.qpvs.all())
    return render(request, "territories/commune_detail.html", {
        "territory": commune, "arrondissements": arrondissements, "qpvs": qpvs,
        "map_data": _map_data(qpvs),
        "directory": _directory(request, Structure.objects.public().in_commune(commune.code)),
    })


def _directory(request: HttpRequest, structures) -> dict:
    """The territory's places, with the directory's filters (form and links come back to #lieux)."""
    return directory_context(request, structures, anchor="#lieux")
