"""Update campaigns: each place of a selection receives its private update link by e-mail (a background task
per place), places without a public e-mail are listed for a phone call, and answers are counted per campaign."""

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

from actors.campaigns import mail_ids, update_links
from actors.core import validators
from actors.models import Structure, UpdateCampaign, UpdateRequest
from actors.moderation import proposals


@dataclass(frozen=True)
class Selection:
    with_email: list[Structure]
    to_call: list[Structure]


def select(structures) -> Selection:
    """The places of the public site (`Structure.objects.listed()`: published, one per folded group), including
    those their département's freshness rule has taken offline, which a campaign is the way to bring back; split
    by whether they publish an e-mail address."""
    places = list(structures.listed().select_related("commune")
                  .order_by("commune_nom", "nom", "pk"))
    return Selection(with_email=[s for s in places if s.courriel_list],
                     to_call=[s for s in places if not s.courriel_list])


@transaction.atomic
def campaign_start(*, label: str, structures: list[Structure], user=None,
                   to_call: list[Structure] = ()) -> UpdateCampaign:
    """Record the campaign and one request per place, then queue one e-mail task per place (after commit).

    The places of `to_call` (no public e-mail) get a request without address: the campaign's call sheet lists them.
    """
    campaign = UpdateCampaign.objects.create(label=label, created_by=user)
    requests = UpdateRequest.objects.bulk_create(
        UpdateRequest(campaign=campaign, structure=s, email=s.courriel_list[0]) for s in structures)
    UpdateRequest.objects.bulk_create(UpdateRequest(campaign=campaign, structure=s, email="") for s in to_call)
    ids = [r.pk for r in requests]
    transaction.on_commit(lambda: [send_update_request.enqueue(pk) for pk in ids])
    return campaign


def message(*, structure: Structure, url: str, request_pk: int | None = None, reminder: int = 0,
            sent_on=None, renewal: bool = False) -> EmailMultiAlternatives:
    """The request (reminder 0), its reminders (1, 2) or a « nouveau lien » (`renewal`), marked so that replies
    and failures find the request."""
    context = {"structure": structure, "url": url, "max_age_days": settings.UPDATE_LINK_MAX_AGE_DAYS,
               "freshness": structure.freshness(), "reminder": reminder, "sent_on": sent_on,
               "applies_directly": proposals.applies_directly(structure)}
    subject = _("Vos informations dans l'annuaire de l'inclusion numérique : %(nom)s") % {
        "nom": validators.one_line(structure.display_name)}  # a header: one line, whatever older data holds
    if reminder:
        subject = _("Relance — %(subject)s") % {"subject": subject}
    template = "actors/email/update_reminder" if reminder else "actors/email/update_request"
    body = render_to_string(f"{template}.txt", context)
    identity = {} if request_pk is None else {
        "from_email": mail_ids.envelope_sender(request_pk),
        "headers": mail_ids.headers(request_pk, reminder=reminder, renewal=renewal)}
    mail = EmailMultiAlternatives(subject=subject, body=body, to=[structure.courriel_list[0]], **identity)
    mail.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return mail


@task()
def send_update_request(request_id: int) -> None:
    request = UpdateRequest.objects.select_related("structure__commune").get(pk=request_id)
    if request.sent_at:
        return  # a retried task does not send twice
    token = update_links.make_token(structure=request.structure)
    url = settings.SITE_URL + reverse("actors:update", args=[token])
    try:
        message(structure=request.structure, url=url, request_pk=request.pk).send()
    except Exception as error:  # noqa: BLE001 - recorded for the campaign's report, the others go on
        UpdateRequest.objects.filter(pk=request.pk).update(error=str(error)[:300])
        raise
    UpdateRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now(), error="")


ANSWER_CONDITIONS = {
    "total": Q(),
    "sent": Q(requests__sent_at__isnull=False),
    "failed": ~Q(requests__error=""),
    "confirmed": Q(requests__answer=UpdateRequest.Answer.CONFIRMED),
    "corrected": Q(requests__answer=UpdateRequest.Answer.CORRECTED),
    # « Sans réponse »: sent, and neither confirmed, corrected, bounced nor replied to (the rows of the report
    # that `request_status` calls « sans réponse »; list, report and dashboard all count with this).
    "no_answer": Q(requests__sent_at__isnull=False, requests__answer="", requests__bounced_at__isnull=True,
                   requests__replied_at__isnull=True),
}
# The follow-up (opening, bounces, replies, calls), counted by the campaign report and the dashboard.
FOLLOW_UP_CONDITIONS = {
    "opened": Q(requests__opened_at__isnull=False) | ~Q(requests__answer=""),
    "bounced": Q(requests__bounced_at__isnull=False),
    "replied": Q(requests__replied_at__isnull=False),
    "reminded": Q(requests__reminders__gt=0),
    "to_call": Q(requests__email="") | Q(requests__bounced_at__isnull=False),
}


def counts(campaign: UpdateCampaign, structures=None) -> dict[str, int]:
    """Sent, confirmed, corrected, no answer (among those sent) and failed, in one query; only the places of
    `structures` when given (a coordinator counts the places of their territories)."""
    scope = Q(requests__structure__in=structures.values("pk")) if structures is not None else Q()
    return UpdateCampaign.objects.filter(pk=campaign.pk).aggregate(**{
        name: Count("requests", filter=scope & condition, distinct=True)
        for name, condition in ANSWER_CONDITIONS.items()})


def request_status(request: UpdateRequest) -> str:
    """Where one request stands, in the words of the campaign report."""
    if not request.email:
        return _("à appeler (pas de courriel)")
    if request.answer:
        return request.get_answer_display()
    if request.bounced_at:
        return _("adresse en échec")
    if request.replied_at:
        return _("réponse reçue")
    if request.error and not request.sent_at:
        return _("erreur d'envoi")
    if not request.sent_at:
        return _("en attente d'envoi")
    status = _("lien ouvert, sans réponse") if request.opened_at else _("sans réponse")
    if request.reminders:
        status += " " + _("(%(count)s relance(s))") % {"count": request.reminders}
    return status


def report_counts(campaigns, structures=None):
    """`campaigns` annotated with every count of the report (answers and follow-up), on `structures` if given."""
    scope = Q(requests__structure__in=structures.values("pk")) if structures is not None else Q()
    conditions = {**ANSWER_CONDITIONS, **FOLLOW_UP_CONDITIONS}
    return campaigns.annotate(**{name: Count("requests", filter=scope & condition, distinct=True)
                                 for name, condition in conditions.items()})
