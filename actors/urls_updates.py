from django.urls import path

from actors.views.updates import UpdateView

urlpatterns = [
    path("mise-a-jour/<str:token>/", UpdateView.as_view(), name="update"),
]
