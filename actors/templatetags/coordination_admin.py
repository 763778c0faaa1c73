"""The coordinator's dashboard on the admin index: counts of their own territories, each linking to its list."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actors.campaigns import freshness_history
from actors.core import quality
from actors.models import CorrectionReport, DuplicateCandidate, Structure, UpdateCampaign
from actors.vocabulary.enums import CorrectionStatus, DuplicateStatus, PublicationState

register = template.Library()

# What the state cards count, said exactly: records, not the places the public sees.
STATE_LABELS = {
    PublicationState.PUBLISHED: _("Fiches publiées (doublons regroupés et lieux retirés par la règle de fraîcheur "
                                  "compris)"),
}


@register.inclusion_tag("admin/_coordination_dashboard.html", takes_context=True)
def coordination_dashboard(context) -> dict:
    user = context["request"].user
    editable = Structure.objects.editable_by(user)
    structures_url = reverse("admin:actors_structure_changelist")
    counts = dict.fromkeys(PublicationState.values, 0)
    for state in editable.values_list("state", flat=True).order_by():
        counts[state] += 1
    editable_pks = editable.values("pk")
    pairs = DuplicateCandidate.objects.filter(status=DuplicateStatus.PENDING)
    if not user.is_superuser:
        pairs = pairs.filter(first__in=editable_pks, second__in=editable_pks)
    # The places the public sees (`Structure.objects.public()`), the figure of the campaign dashboard too; the
    # cards by state count records, copies folded into another record and places taken offline included.
    cards = [{"label": _("Lieux publics (visibles sur le site)"), "count": editable.public().count(),
              "url": f"{structures_url}?visibilite=public"}]
    cards += [
        {"label": STATE_LABELS.get(value, label), "count": counts[value],
         "url": f"{structures_url}?state__exact={value}"}
        for value, label in PublicationState.choices
    ]
    cards += [
        {"label": freshness_history.stale_label(freshness_history.limit_months(editable)),
         "count": editable.stale().count(),
         "url": f"{structures_url}?fraicheur=a-verifier", "alert": True},
        {"label": _("Signalements en attente"),
         "count": CorrectionReport.objects.editable_by(user).filter(status=CorrectionStatus.PENDING).count(),
         "url": reverse("admin:actors_correctionreport_changelist") + f"?status__exact={CorrectionStatus.PENDING}",
         "alert": True},
        {"label": _("Doublons à examiner"), "count": pairs.count(),
         "url": reverse("admin:actors_duplicatecandidate_changelist") + f"?status__exact={DuplicateStatus.PENDING}",
         "alert": True},
        {"label": _("Fiches de qualité faible (moins de 40/100)"),
         "count": editable.filter(quality.band_condition("faible")).count(),
         "url": f"{structures_url}?qualite=faible", "alert": True},
        {"label": _("Campagnes de mise à jour (tableau de bord)"),
         "count": UpdateCampaign.objects.filter(requests__structure__in=editable_pks).distinct().count(),
         "url": reverse("admin:actors_updatecampaign_dashboard")},
    ]
    return {"cards": cards}
