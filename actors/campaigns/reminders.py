"""Reminders of an update request: after 15 and 30 days (settings.UPDATE_REMINDER_DAYS) a place that has not
answered gets its link again by e-mail.

A request is due its reminder n (1, 2…) when it was e-mailed at least UPDATE_REMINDER_DAYS[n-1] days ago, has
had fewer than n reminders, and the place has given no sign since: no answer through its link, no e-mail reply,
no delivery failure, no confirmation by a coordinator, and no newer campaign asking it again. Requests older
than the link's life (UPDATE_LINK_MAX_AGE_DAYS) are left alone. A place late for both reminders gets only the
last one.

Never twice the same reminder: each one is first claimed by a conditional UPDATE (`reminders < n`) and sent
only by the run that claimed it, so two runs at once, or a run repeated the same day, send it once. A send
that fails is recorded on the request (`error`), not retried.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from actors.campaigns import sending, update_links
from actors.models import UpdateRequest
from actors.vocabulary.enums import PublicationState


@dataclass(frozen=True)
class Due:
    request: UpdateRequest
    number: int


def _number_due(sent_at: dt.datetime, now: dt.datetime) -> int:
    return sum(1 for days in settings.UPDATE_REMINDER_DAYS if sent_at <= now - dt.timedelta(days=days))


def pending(now: dt.datetime):
    """Requests e-mailed and still unanswered, within the link's life (what a reminder may be due for)."""
    newer = UpdateRequest.objects.filter(structure_id=OuterRef("structure_id"), campaign_id__gt=OuterRef("campaign_id"))
    return (UpdateRequest.objects
            .filter(sent_at__isnull=False, answer="", bounced_at__isnull=True, replied_at__isnull=True,
                    sent_at__lte=now - dt.timedelta(days=min(settings.UPDATE_REMINDER_DAYS)),
                    sent_at__gt=now - dt.timedelta(days=settings.UPDATE_LINK_MAX_AGE_DAYS),
                    structure__state=PublicationState.PUBLISHED)
            .exclude(structure__courriels="")
            .exclude(Q(structure__verified_at__gte=F("sent_at")))
            .exclude(Exists(newer)))


def due(now: dt.datetime, structures=None) -> list[Due]:
    """Reminders due at `now` (on the places of `structures` when given), oldest requests first."""
    rows = pending(now)
    if structures is not None:
        rows = rows.filter(structure__in=structures.values("pk"))
    found = []
    for request in rows.select_related("structure__commune", "campaign").order_by("sent_at", "pk"):
        number = _number_due(request.sent_at, now)
        if number > request.reminders:
            found.append(Due(request, number))
    return found


def claim(*, request_pk: int, number: int, now: dt.datetime) -> bool:
    """Take reminder `number` of a request for this run; False if another run (or an earlier one) took it."""
    return bool(UpdateRequest.objects.filter(pk=request_pk, reminders__lt=number, answer="")
                .update(reminders=number, reminded_at=now))


def send_due(*, now: dt.datetime) -> list[Due]:
    """Claim every reminder due and queue its e-mail (after commit); returns those claimed by this run."""
    claimed = []
    with transaction.atomic():
        for item in due(now):
            if claim(request_pk=item.request.pk, number=item.number, now=now):
                claimed.append(item)
        transaction.on_commit(lambda: [send_reminder.enqueue(i.request.pk, i.number) for i in claimed])
    return claimed


@task()
def send_reminder(request_id: int, number: int) -> None:
    request = UpdateRequest.objects.select_related("structure__commune").get(pk=request_id)
    if request.reminders != number or request.answer:
        return  # a later reminder was claimed meanwhile, or the place answered: nothing to send
    token = update_links.make_token(structure=request.structure)
    url = settings.SITE_URL + reverse("actors:update", args=[token])
    try:
        sending.message(structure=request.structure, url=url, request_pk=request.pk, reminder=number,
                          sent_on=timezone.localdate(request.sent_at)).send()
    except Exception as error:  # noqa: BLE001 - recorded for the campaign's report, the others go on
        UpdateRequest.objects.filter(pk=request.pk).update(error=f"Relance {number} : {error}"[:300])
        raise


@task()
def send_due_reminders() -> int:
    """The daily round, as a background task (enqueued when the worker starts, or by cron)."""
    return len(send_due(now=timezone.now()))
