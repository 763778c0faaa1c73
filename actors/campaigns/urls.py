from django.urls import path

from actors.campaigns.atelier_views import PlaceAteliersView
from actors.campaigns.views import RenewView, UpdateView

urlpatterns = [
    path("mise-a-jour/nouveau-lien/", RenewView.as_view(), name="update_renew"),
    path("mise-a-jour/<str:token>/", UpdateView.as_view(), name="update"),
    path("mise-a-jour/<str:token>/ateliers/", PlaceAteliersView.as_view(), name="update_ateliers"),
]
