from django.urls import path

from actors import views

app_name = "actors"

# Each area of the product adds its routes here: directory (list, detail, print), map, exports, corrections.
urlpatterns = [
    path("lieux/<slug:slug>/", views.StructureDetailView.as_view(), name="detail"),
]
