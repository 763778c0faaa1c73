"""Update campaigns: each place of a selection receives its private update link by e-mail (a background task
per place), places without a public e-mail are listed for a phone call, and answers are counted per campaign."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from actors import updates
from actors.models import Structure, UpdateCampaign, UpdateRequest


@dataclass(frozen=True)
class Selection:
    with_email: list[Structure]
    to_call: list[Structure]


def select(structures) -> Selection:
    """Published places, one per folded group, split by whether they publish an e-mail address."""
    places = list(structures.published().filter(folded_into__isnull=True).select_related("commune")
                  .order_by("commune_nom", "nom", "pk"))
    return Selection(with_email=[s for s in places if s.courriel_list],
                     to_call=[s for s in places if not s.courriel_list])


@transaction.atomic
def campaign_start(*, label: str, structures: list[Structure], user=None) -> UpdateCampaign:
    """Record the campaign and one request per place, then queue one e-mail task per place (after commit)."""
    campaign = UpdateCampaign.objects.create(label=label, created_by=user)
    requests = UpdateRequest.objects.bulk_create(
        UpdateRequest(campaign=campaign, structure=s, email=s.courriel_list[0]) for s in structures)
    ids = [r.pk for r in requests]
    transaction.on_commit(lambda: [send_update_request.enqueue(pk) for pk in ids])
    return campaign


def message(*, structure: Structure, url: str) -> EmailMultiAlternatives:
    context = {"structure": structure, "url": url, "max_age_days": settings.UPDATE_LINK_MAX_AGE_DAYS,
               "freshness": structure.freshness()}
    subject = _("Vos informations dans l'annuaire de l'inclusion numérique : %(nom)s") % {
        "nom": structure.display_name}
    body = render_to_string("actors/email/update_request.txt", context)
    mail = EmailMultiAlternatives(subject=subject, body=body, to=[structure.courriel_list[0]])
    mail.attach_alternative(render_to_string("actors/email/update_request.html", context), "text/html")
    return mail


@task()
def send_update_request(request_id: int) -> None:
    request = UpdateRequest.objects.select_related("structure__commune").get(pk=request_id)
    if request.sent_at:
        return  # a retried task does not send twice
    token = updates.make_token(structure=request.structure)
    url = settings.SITE_URL + reverse("actors:update", args=[token])
    try:
        message(structure=request.structure, url=url).send()
    except Exception as error:  # noqa: BLE001 - recorded for the campaign's report, the others go on
        UpdateRequest.objects.filter(pk=request.pk).update(error=str(error)[:300])
        raise
    UpdateRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now(), error="")


def record_answer(*, structure: Structure, answer: str, now: dt.datetime) -> None:
    """The place answered through its link: the latest campaign that asked it counts the answer."""
    latest = UpdateRequest.objects.filter(structure=structure).order_by("-campaign_id").first()
    if latest is not None and not latest.answer:
        UpdateRequest.objects.filter(pk=latest.pk).update(answer=answer, answered_at=now)


ANSWER_CONDITIONS = {
    "total": Q(),
    "sent": Q(requests__sent_at__isnull=False),
    "failed": ~Q(requests__error=""),
    "confirmed": Q(requests__answer=UpdateRequest.Answer.CONFIRMED),
    "corrected": Q(requests__answer=UpdateRequest.Answer.CORRECTED),
    "no_answer": Q(requests__sent_at__isnull=False, requests__answer=""),
}


def counts(campaign: UpdateCampaign, structures=None) -> dict[str, int]:
    """Sent, confirmed, corrected, no answer (among those sent) and failed, in one query; only the places of
    `structures` when given (a coordinator counts the places of their territories)."""
    scope = Q(requests__structure__in=structures.values("pk")) if structures is not None else Q()
    return UpdateCampaign.objects.filter(pk=campaign.pk).aggregate(**{
        name: Count("requests", filter=scope & condition, distinct=True)
        for name, condition in ANSWER_CONDITIONS.items()})
