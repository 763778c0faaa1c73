from django.urls import path

from territories import views

app_name = "territories"

urlpatterns = [
    path("", views.search, name="search"),
    path("departements/<str:code>/", views.departement_detail, name="departement"),
    path("epci/<str:siren>/", views.epci_detail, name="epci"),
    path("communes/<str:code>/", views.commune_detail, name="commune"),
]
