from django.urls import path

from actors.views.detail import StructureDetailView
from actors.views.referral import ReferralSheetView, ReferralView

urlpatterns = [
    path("lieux/<slug:slug>/", StructureDetailView.as_view(), name="detail"),
    path("lieux/<slug:slug>/fiche/", ReferralSheetView.as_view(), name="referral_sheet"),
    path("orientation/", ReferralView.as_view(), name="referral"),
]
