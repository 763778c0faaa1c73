from django.urls import path

from actors.views.corrections import CorrectionView

urlpatterns = [
    path("lieux/<slug:slug>/signaler/", CorrectionView.as_view(), name="correction"),
]
