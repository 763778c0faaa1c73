from django.urls import path

from territories import views
from territories.diagnostic import views as diagnostic

app_name = "territories"

urlpatterns = [
    path("", views.search, name="search"),
    path("departements/<str:code>/", views.departement_detail, name="departement"),
    path("epci/<str:siren>/", views.epci_detail, name="epci"),
    path("communes/<str:code>/", views.commune_detail, name="commune"),
]

# Diagnostic of a département, an EPCI or a commune: the page, its CSV and its printable summary.
for kind, prefix in (("departement", "departements"), ("epci", "epci"), ("commune", "communes")):
    urlpatterns += [
        path(f"{prefix}/<str:code>/diagnostic/", diagnostic.diagnostic, {"kind": kind},
             name=f"{kind}_diagnostic"),
        path(f"{prefix}/<str:code>/diagnostic.csv", diagnostic.diagnostic_csv, {"kind": kind},
             name=f"{kind}_diagnostic_csv"),
        path(f"{prefix}/<str:code>/diagnostic/impression/", diagnostic.diagnostic_print, {"kind": kind},
             name=f"{kind}_diagnostic_print"),
    ]
