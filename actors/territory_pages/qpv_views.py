"""A QPV's page: its perimeter and the places inside it, within 300 m and within 1 km."""
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from actors.territory_pages.qpv_places import NEAR_M, WITHIN_M, places_around
from actors.territory_pages.views import _map_data, _qpvs
from territories.models import QPV


def qpv_detail(request: HttpRequest, code: str) -> HttpResponse:
    qpv = get_object_or_404(QPV.objects.select_related("departement__region"), pk=code.upper()[:10])
    qpvs = _qpvs(QPV.objects.filter(pk=qpv.pk))
    return render(request, "territories/qpv_detail.html", {
        "territory": qpv, "qpv": qpvs[0], "communes": list(qpvs[0].communes.all()),
        "map_data": _map_data(qpvs), "places": places_around(qpv), "near_m": NEAR_M, "within_m": WITHIN_M,
    })
