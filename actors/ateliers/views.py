"""/ateliers/ (the sessions to come, filtered) and /ateliers.ics (the same sessions, to subscribe to)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from actors.ateliers import calendar
from actors.ateliers.filters import AtelierFilter

ICS_MAX_SESSIONS = 500


class AtelierFilterMixin:
    def get_filterset(self) -> AtelierFilter:
        if not hasattr(self, "filterset"):
            self.filterset = AtelierFilter(self.request.GET or None, request=self.request, now=timezone.now())
        return self.filterset


class AtelierListView(AtelierFilterMixin, ListView):
    template_name = "actors/ateliers/list.html"
    context_object_name = "sessions"
    paginate_by = 30

    def get_queryset(self):
        return self.get_filterset().qs.prefetch_related("series__themes")

    def paginate_queryset(self, queryset, page_size):
        # A page number of « abc » or 99999 shows the last valid page, never an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=filterset, data=filterset.cleaned, notices=filterset.notices,
            querystring=query.urlencode(), ics_query=query.urlencode(),
            themes=filterset.filters["theme"].extra["choices"], publics=filterset.filters["public"].extra["choices"],
        )
        return context


class AtelierCalendarView(AtelierFilterMixin, View):
    def get(self, request):
        sessions = list(self.get_filterset().qs[:ICS_MAX_SESSIONS])
        body = calendar.to_ics(sessions, name=_("Ateliers numériques"), request=request)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="ateliers.ics"'
        return response
