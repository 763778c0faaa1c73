from django.shortcuts import get_object_or_404, render

from territories.models import EPCI, Commune, Departement


def search(request):
    return render(request, "territories/search.html", {})


def departement_detail(request, code):
    departement = get_object_or_404(Departement.objects.select_related("region"), pk=code)
    return render(request, "territories/departement_detail.html", {"territory": departement})


def epci_detail(request, siren):
    epci = get_object_or_404(EPCI, pk=siren)
    return render(request, "territories/epci_detail.html", {"territory": epci})


def commune_detail(request, code):
    commune = get_object_or_404(Commune.objects.select_related("departement", "epci"), pk=code)
    return render(request, "territories/commune_detail.html", {"territory": commune})
