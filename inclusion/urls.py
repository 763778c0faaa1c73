from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from inclusion import twofactor_views

handler404 = "inclusion.views.page_not_found"
handler500 = "inclusion.views.server_error"

urlpatterns = [
    path("admin/double-authentification/", twofactor_views.verify, name="two_factor_verify"),
    path("admin/double-authentification/activer/", twofactor_views.enrol, name="two_factor_enrol"),
    path("admin/", admin.site.urls),
    path("langue/", set_language, name="set_language"),
    path("territoires/", include("actors.territory_pages.urls")),
    path("api/v1/", include("actors.api.urls")),
    path("", include("actors.urls")),
]
