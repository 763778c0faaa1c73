from django.urls import path

from actors.moderation.views import CorrectionView

urlpatterns = [
    path("lieux/<slug:slug>/signaler/", CorrectionView.as_view(), name="correction"),
]
