from django.urls import path, register_converter

from actors.diagnostic import views as diagnostic
from actors.territory_pages import qpv_views, views
from inclusion.pagecache import cache_public_page


class CodeConverter:
    """Official codes (département, INSEE, SIREN) are letters and digits: nothing else reaches a query."""

    regex = "[0-9A-Za-z]{1,9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "territory_code")

app_name = "territories"

urlpatterns = [
    path("", views.search, name="search"),
    path("departements/<territory_code:code>/", cache_public_page(views.departement_detail), name="departement"),
    path("epci/<territory_code:siren>/", cache_public_page(views.epci_detail), name="epci"),
    path("communes/<territory_code:code>/", cache_public_page(views.commune_detail), name="commune"),
    path("qpv/<territory_code:code>/", cache_public_page(qpv_views.qpv_detail), name="qpv"),
]

# Diagnostic of a département, an EPCI or a commune: the page, its CSV and its printable summary.
for kind, prefix in (("departement", "departements"), ("epci", "epci"), ("commune", "communes")):
    urlpatterns += [
        path(f"{prefix}/<territory_code:code>/diagnostic/", diagnostic.diagnostic, {"kind": kind},
             name=f"{kind}_diagnostic"),
        path(f"{prefix}/<territory_code:code>/diagnostic.csv", diagnostic.diagnostic_csv, {"kind": kind},
             name=f"{kind}_diagnostic_csv"),
        path(f"{prefix}/<territory_code:code>/diagnostic/impression/", diagnostic.diagnostic_print, {"kind": kind},
             name=f"{kind}_diagnostic_print"),
    ]
