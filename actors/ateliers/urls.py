from django.urls import path

from actors.ateliers.views import AtelierCalendarView, AtelierListView

urlpatterns = [
    path("ateliers/", AtelierListView.as_view(), name="ateliers"),
    path("ateliers.ics", AtelierCalendarView.as_view(), name="ateliers_ics"),
]
