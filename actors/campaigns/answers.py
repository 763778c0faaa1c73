"""What a campaign records of a place's own answers through its update link: opened, confirmed, corrected."""

import datetime as dt

from actors.models import Structure, UpdateRequest


def record_opening(*, structure: Structure, now: dt.datetime) -> None:
    """The place opened its link: the latest campaign that asked it counts the first opening."""
    latest = UpdateRequest.objects.filter(structure=structure).order_by("-campaign_id").first()
    if latest is not None and latest.opened_at is None:
        UpdateRequest.objects.filter(pk=latest.pk, opened_at__isnull=True).update(opened_at=now)


def record_answer(*, structure: Structure, answer: str, now: dt.datetime) -> None:
    """The place answered through its link: the latest campaign that asked it counts the answer."""
    latest = UpdateRequest.objects.filter(structure=structure).order_by("-campaign_id").first()
    if latest is not None and not latest.answer:
        UpdateRequest.objects.filter(pk=latest.pk).update(answer=answer, answered_at=now)
