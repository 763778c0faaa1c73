from django.urls import path

from actors.place.referral_views import ReferralSheetView, ReferralView
from actors.place.views import StructureDetailView
from inclusion.pagecache import cache_public_page

urlpatterns = [
    path("lieux/<slug:slug>/", cache_public_page(StructureDetailView.as_view()), name="detail"),
    path("lieux/<slug:slug>/fiche/", ReferralSheetView.as_view(), name="referral_sheet"),
    path("orientation/", ReferralView.as_view(), name="referral"),
]
