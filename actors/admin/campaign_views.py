"""Coordinators' campaign pages in the admin: a campaign's report, its printable call sheet, and the dashboard
(campaign figures and the territory's freshness over time). Everything is counted on the user's own places
(`Structure.objects.editable_by`): a coordinator of 87 sees neither the places nor the figures of 33."""

from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.admin.quality import QualityFilter
from actors.campaigns import freshness_history, sending
from actors.core import quality
from actors.core.freshness_policy import coordinated_departements
from actors.models import CoordinatorScope, Structure, UpdateRequest
from actors.templatetags.update_tags import hours_in_words


def _campaign(modeladmin, request, pk: int):
    """The campaign, counted on the user's places; 404 when none of its places is theirs."""
    return get_object_or_404(modeladmin.get_queryset(request), pk=pk)


def _requests(request, campaign):
    return (UpdateRequest.objects.filter(campaign=campaign,
                                         structure__in=Structure.objects.editable_by(request.user).values("pk"))
            .select_related("structure__commune").order_by("structure__commune_nom", "structure__nom", "pk"))


def report_view(modeladmin, request, pk: int):
    campaign = _campaign(modeladmin, request, pk)
    rows = [{"request": r, "status": sending.request_status(r)} for r in _requests(request, campaign)]
    return TemplateResponse(request, "admin/actors/updatecampaign/report.html", {
        **modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta,
        "title": _("Rapport de la campagne « %(label)s »") % {"label": campaign.label},
        "campaign": campaign, "rows": rows})


def call_sheet_view(modeladmin, request, pk: int):
    """One line per place to call: no public e-mail, or an address that failed."""
    campaign = _campaign(modeladmin, request, pk)
    to_call = (_requests(request, campaign).filter(Q(email="") | Q(bounced_at__isnull=False))
               .prefetch_related("structure__terms"))
    rows = []
    for item in to_call:
        place = item.structure
        asks = [str(quality.QUESTIONS[name]) for name in quality.score(place).missing]
        if place.horaires:
            asks.insert(0, _("confirmer les horaires : %(hours)s") % {"hours": hours_in_words(place.horaires)})
        rows.append({"place": place, "freshness": place.freshness(), "asks": asks,
                     "why": _("adresse en échec") if item.bounced_at else _("pas de courriel public")})
    return TemplateResponse(request, "admin/actors/updatecampaign/call_sheet.html", {
        **modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta,
        "title": _("Fiche d'appel — %(label)s") % {"label": campaign.label},
        "campaign": campaign, "rows": rows, "printed_on": timezone.localdate()})


def dashboard_view(modeladmin, request):
    user = request.user
    editable = Structure.objects.editable_by(user)
    listed = modeladmin.get_queryset(request).order_by("-created_at", "-pk")[:20]  # counted on the user's places
    public = editable.public()  # the places the public sees, counted as every page counts them
    bands = public.aggregate(average=Avg("quality"), **{
        code: Count("pk", filter=quality.band_condition(code)) for code, *_rest in quality.BANDS})
    territories = []
    departements = list(coordinated_departements(user).order_by("code"))
    for departement in departements:
        territories.append((str(departement), f"dep-{departement.code}", freshness_history.monthly(departement.code)))
    # EPCI and communes coordinated without their whole département: their months from the places' dates.
    whole = {departement.code for departement in departements}
    for scope in (CoordinatorScope.objects.for_user(user).filter(departement=None)
                  .select_related("epci", "commune").order_by("epci__name", "commune__name")):
        if scope.epci is not None:
            places = editable.filter(commune__epci=scope.epci)
            name, code = str(scope.epci), f"epci-{scope.epci.pk}"
        else:
            places = editable.filter(Q(commune=scope.commune) | Q(commune__parent=scope.commune))
            name, code = str(scope.commune), f"commune-{scope.commune.pk}"
            if scope.commune.departement_id in whole:
                continue
        territories.append((name, code, freshness_history.from_dates(places)))
    territories = [{"name": name, "code": code, "months": months, "chart": freshness_history.line_chart(months),
                    "estimated": any(m.estimated for m in months)}
                   for name, code, months in territories if months]
    return TemplateResponse(request, "admin/actors/updatecampaign/dashboard.html", {
        **modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta,
        "title": _("Campagnes et fraîcheur de mes territoires"), "campaigns": listed,
        "bands": [(code, label, bands[code]) for code, label, *_rest in quality.BANDS],
        "average": bands["average"], "band_parameter": QualityFilter.parameter_name,
        "territories": territories, "places": public.count(),
        "window": freshness_history.window_text(freshness_history.limit_months(editable))})
