"""Private update links: a place confirms (« Rien n'a changé ») or corrects its own record, without an account.

A link is `/mise-a-jour/<jeton>/`. The token is signed with the site's SECRET_KEY (django.core.signing), dated,
and names one place and the generation of its link (`UpdateLink.generation`). It is refused when:
- the signature does not match (forged or mangled): `LinkInvalid`;
- it is older than settings.UPDATE_LINK_MAX_AGE_DAYS: `LinkExpired`;
- the place's generation moved on (the link was used, or revoked): `LinkUsed`.
Using a link moves the generation on, so each link works once.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F

from actors.campaigns import answers
from actors.core import locking, quality
from actors.models import Structure, UpdateLink
from actors.moderation import proposals
from actors.vocabulary.enums import Verifier

SALT = "actors.update-link"


class LinkError(Exception):
    pass


class LinkInvalid(LinkError):
    pass


class LinkExpired(LinkError):
    pass


class LinkUsed(LinkError):
    pass


def _generation(structure_pk: int) -> int:
    return UpdateLink.objects.filter(structure_id=structure_pk).values_list("generation", flat=True).first() or 0


def make_token(*, structure: Structure) -> str:
    """The current link's token for `structure` (the same place and generation give equivalent tokens)."""
    return signing.dumps([structure.pk, _generation(structure.pk)], salt=SALT)


def read_token(token: str) -> Structure:
    """The place a token names, or LinkInvalid / LinkExpired / LinkUsed."""
    max_age = dt.timedelta(days=settings.UPDATE_LINK_MAX_AGE_DAYS)
    try:
        pk, generation = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkInvalid from error
    if not isinstance(pk, int) or not isinstance(generation, int):
        raise LinkInvalid
    structure = Structure.objects.published().filter(pk=pk).select_related("commune").first()
    if structure is None:
        raise LinkInvalid
    if generation != _generation(pk):
        raise LinkUsed
    structure.link_generation = generation  # checked again, row locked, when the link is used
    return structure


def place_of_expired(token: str) -> Structure | None:
    """The published place a genuine token names, however old or used (to send it a new link), else None."""
    try:
        pk, _generation = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Structure.objects.published().filter(pk=pk).first() if isinstance(pk, int) else None


@transaction.atomic
def revoke(*, structure: Structure) -> None:
    """Make every link already given for `structure` stop working (a new one can be made at once)."""
    link, _created = UpdateLink.objects.select_for_update().get_or_create(structure=structure)
    UpdateLink.objects.filter(pk=link.pk).update(generation=F("generation") + 1)


def _use(*, structure: Structure, now: dt.datetime) -> None:
    """Spend the link `structure` was read from (two answers sent at once: the second raises LinkUsed)."""
    link, _created = UpdateLink.objects.select_for_update().get_or_create(structure=structure)
    if link.generation != getattr(structure, "link_generation", link.generation):
        raise LinkUsed
    UpdateLink.objects.filter(pk=link.pk).update(generation=F("generation") + 1, used_at=now)


@transaction.atomic
def confirm_unchanged(*, structure: Structure, now: dt.datetime) -> None:
    """The place says nothing changed: it is verified at `now` (the one freshness rule reads verified_at)."""
    _use(structure=structure, now=now)
    fields = structure.mark_verified(by=Verifier.PLACE, at=now)
    structure._change_reason = "Confirmé par le lieu (lien de mise à jour)"
    structure.save(update_fields=[*fields, "updated_at"])
    locking.touch(structure.pk)  # the version moves past the history just written
    quality.refresh(pks=[structure.pk], now=now)
    answers.record_answer(structure=structure, answer="confirmed", now=now)


@transaction.atomic
def propose_changes(*, structure: Structure, changes: dict[str, tuple[str, str]], note: str,
                    now: dt.datetime) -> int:
    """The place's corrections, one report per changed field (value now, proposed value) and one for the note,
    in its coordinators' queue (or applied at once where the département says so: actors.moderation.proposals).

    Returns how many reports were written.
    """
    _use(structure=structure, now=now)
    reports = proposals.propose(structure=structure, changes=changes, note=note, now=now,
                                origin="Proposé par le lieu lui-même (lien de mise à jour).")
    if reports:
        answers.record_answer(structure=structure, answer="corrected", now=now)
    return len(reports)
