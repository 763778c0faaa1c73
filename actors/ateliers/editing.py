"""The writes a place makes to its own ateliers through its private update link: add a session, set the seats left,
cancel one. Each checks the session's version (optimistic locking: two tabs, or an import meanwhile) and the
place, so that a link never reaches another place's sessions."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actors.models import AtelierSeries, AtelierSession, Structure, Term
from actors.vocabulary.enums import TermKind

SOURCE = "lieu"  # written by the place itself: no agenda will overwrite it


def version_of(session: AtelierSession) -> str:
    return session.updated_at.isoformat()


@transaction.atomic
def session_add(*, structure: Structure, title: str, starts_at: dt.datetime, ends_at: dt.datetime,
                seats: int | None, theme: str, free: bool) -> AtelierSession:
    if ends_at <= starts_at:
        raise ValidationError(_("La fin de l'atelier doit suivre son début."))
    series = AtelierSeries.objects.create(structure=structure, source=SOURCE, title=title, seats=seats,
                                          free=True if free else None,
                                          duration_minutes=int((ends_at - starts_at).total_seconds() // 60))
    if theme:
        series.themes.set(Term.objects.filter(kind=TermKind.SERVICES, code=theme))
    return AtelierSession.objects.create(series=series, starts_at=starts_at, ends_at=ends_at, seats_left=seats)


@transaction.atomic
def session_change(*, structure: Structure, session_pk: int, version: str, seats_left: int | None,
                   cancelled: bool) -> AtelierSession:
    session = (AtelierSession.objects.select_for_update().filter(pk=session_pk, series__structure=structure)
               .first())
    if session is None:
        raise ValidationError(_("Cette séance n'existe pas ou n'est pas celle de votre lieu."))
    if version_of(session) != version:
        raise ValidationError(_("Cette séance a changé depuis l'ouverture de la page : rechargez-la et "
                                "recommencez."), code="stale")
    if session.seats_left != seats_left or session.cancelled != cancelled:
        session.seats_left, session.cancelled = seats_left, cancelled
        session.save(update_fields=["seats_left", "cancelled", "updated_at"])
    return session
