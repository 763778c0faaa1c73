"""Agendas registered by coordinators (AtelierFeed), read again by a background task: once when the worker starts
and daily from cron (`manage.py refresh_ateliers --enqueue`). A feed that fails keeps its sessions as they were;
its failure is kept on the feed (admin list, « dernière lecture réussie » filter) and logged."""

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from actors.ateliers.importing import Report, import_from
from actors.models import AtelierFeed

logger = logging.getLogger(__name__)


def refresh(feed: AtelierFeed, *, now: dt.datetime | None = None) -> Report:
    now = now or timezone.now()
    try:
        report = import_from(where=feed.url, structure=feed.structure, feed=feed, apply=True, now=now)
    except Exception as error:  # noqa: BLE001 - one feed's failure is recorded; the others are read
        logger.exception("Agenda %s : échec de la lecture", feed.url)
        report = Report(lines=[f"Erreur inattendue : {str(error)[:200]}"], failed=True)
    lines = report.lines if report.failed else [report.summary(), *report.lines]
    AtelierFeed.objects.filter(pk=feed.pk).update(last_run_at=now, last_ok=not report.failed,
                                                  last_report="\n".join(lines)[:5000])
    if report.failed:
        logger.warning("Agenda %s (lieu %s) non lu : %s", feed.url, feed.structure_id, " ".join(report.lines)[:300])
    return report


def refresh_all(*, now: dt.datetime | None = None) -> dict[str, int]:
    counts = {"lus": 0, "en_echec": 0}
    for feed in AtelierFeed.objects.filter(active=True).select_related("structure").order_by("pk"):
        report = refresh(feed, now=now)
        counts["en_echec" if report.failed else "lus"] += 1
    return counts


@task()
def refresh_feeds() -> dict[str, int]:
    return refresh_all()
