"""Corrections waiting for a coordinator: how each field is read, shown beside the record, and applied.

Two kinds of reports share the queue (`CorrectionReport`): one field sent by anyone from a public page, and a
place's own answer through its update link (a *proposal*: several fields under one `proposal` id, each with
the value it replaces). A coordinator accepts or refuses them whole or field by field; an accepted proposal
writes the record through `structure_save` (history, derived data), checks the version the coordinator read
(actors.core.locking) and marks the place verified (the one freshness rule reads `verified_at`). A département whose
policy says « appliquer les corrections directement » accepts a place's proposal at once, the reports kept.
"""

import copy
import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from actors.core import locking, validators
from actors.core import writes as services
from actors.models import CorrectionReport, FreshnessPolicy, Structure, TemporaryClosure, Term
from actors.opening.hours import InvalidHours
from actors.opening.preview import hours_preview
from actors.vocabulary.enums import CorrectionField, CorrectionStatus, PublicationState, TermKind, Verifier

# Vocabulary fields a place may correct, and the standard's vocabulary behind each.
TERM_FIELDS = {CorrectionField.SERVICES: TermKind.SERVICES, CorrectionField.ACCESSIBILITE: TermKind.PRISE_EN_CHARGE}
TEXT_FIELDS = {CorrectionField.NOM, CorrectionField.ADRESSE, CorrectionField.TELEPHONE, CorrectionField.COURRIELS,
               CorrectionField.SITE_WEB, CorrectionField.HORAIRES, CorrectionField.FICHE_ACCES_LIBRE}
NORMALIZE = {
    CorrectionField.TELEPHONE: validators.normalize_phone,
    CorrectionField.COURRIELS: validators.normalize_emails,
    CorrectionField.SITE_WEB: validators.normalize_urls,
}


# --- Values as text: "a|b" for vocabularies, one "start|end|reason" line per closure. ---

def closures_text(closures: list[tuple[dt.date, dt.date, str]]) -> str:
    return "\n".join(f"{start.isoformat()}|{end.isoformat()}|{reason}" for start, end, reason in sorted(closures))


def read_closures(value: str) -> list[tuple[dt.date, dt.date, str]]:
    """The closures of a FERMETURES value; ValidationError for a line that is not two dates in order."""
    closures = []
    for line in filter(None, (line.strip() for line in value.splitlines())):
        start, _sep, rest = line.partition("|")
        end, _sep, reason = rest.partition("|")
        try:
            first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        except ValueError as error:
            raise ValidationError(_("Fermeture illisible : « %(line)s ».") % {"line": line}) from error
        if last < first:
            raise ValidationError(_("Une fermeture finit avant de commencer : « %(line)s ».") % {"line": line})
        closures.append((first, last, reason.strip()[:250]))
    return closures


def upcoming_closures(structure: Structure, today: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    return [(c.starts_on, c.ends_on, c.reason) for c in structure.closures.filter(ends_on__gte=today)]


def current_value(structure: Structure, field: str, today: dt.date | None = None) -> str:
    """The record's value of a correctable field, written as a proposal writes it."""
    if field in TERM_FIELDS:
        return "|".join(sorted(structure.term_codes(TERM_FIELDS[field])))
    if field == CorrectionField.FERMETURES:
        return closures_text(upcoming_closures(structure, today or timezone.localdate()))
    if field in TEXT_FIELDS:
        return getattr(structure, field)
    return ""


def in_words(field: str, value: str) -> str:
    """A value as a coordinator reads it: hours in French, vocabulary labels, dated closures."""
    if not value:
        return _("(vide)")
    if field == CorrectionField.HORAIRES:
        try:
            return f"{hours_preview(value)} — {value}"
        except InvalidHours:
            return value
    if field in TERM_FIELDS:
        labels = {term.code: term.display_label for term in Term.objects.filter(kind=TERM_FIELDS[field])}
        return ", ".join(labels.get(code, code) for code in value.split("|"))
    if field == CorrectionField.FERMETURES:
        try:
            closures = read_closures(value)
        except ValidationError:
            return value
        return " ; ".join(_("du %(start)s au %(end)s%(reason)s") % {
            "start": formats.date_format(start, "j F Y"), "end": formats.date_format(end, "j F Y"),
            "reason": f" ({reason})" if reason else ""} for start, end, reason in closures)
    if field in (CorrectionField.COURRIELS, CorrectionField.SITE_WEB):
        return ", ".join(value.split("|"))
    return value


# --- Writes. ---

def _set_field(structure: Structure, report: CorrectionReport, terms: dict[str, list[str]],
               closures: list | None) -> list | None:
    """Put one accepted report's value on the unsaved structure (terms and closures collected apart)."""
    value = report.proposed_value.strip()
    field = report.field
    if field == CorrectionField.CLOSED:
        structure.state = PublicationState.ARCHIVED
    elif field in TERM_FIELDS:
        codes = [code for code in value.split("|") if code]
        known = set(Term.objects.filter(kind=TERM_FIELDS[field], code__in=codes).values_list("code", flat=True))
        if set(codes) - known:
            raise ValidationError(_("Valeurs inconnues du référentiel : %(codes)s")
                                  % {"codes": ", ".join(sorted(set(codes) - known))})
        terms[TERM_FIELDS[field]] = codes
    elif field == CorrectionField.FERMETURES:
        return read_closures(value)
    elif field in TEXT_FIELDS:
        if field in NORMALIZE:
            value = NORMALIZE[field](value)
        if field == CorrectionField.HORAIRES:
            validators.validate_horaires(value)
        if field == CorrectionField.FICHE_ACCES_LIBRE and value:
            value = validators.normalize_urls(value).split("|")[0]
        if not value and field in (CorrectionField.NOM, CorrectionField.ADRESSE):
            raise ValidationError(_("Ce signalement ne propose pas de nouvelle valeur."))
        if field in validators.SINGLE_LINE_FIELDS:
            validators.validate_single_line(value)
        setattr(structure, field, value)
    return closures


def _replace_upcoming_closures(structure: Structure, closures: list, *, user, today: dt.date) -> None:
    """Closures ending today or later become the proposed ones; past closures stay as they were (history)."""
    for closure in structure.closures.filter(ends_on__gte=today):
        closure._history_user = user
        closure.delete()
    for start, end, reason in closures:
        closure = TemporaryClosure(structure=structure, starts_on=start, ends_on=end, reason=reason)
        closure._history_user = user
        closure.save()


@transaction.atomic
def decide(*, reports: list[CorrectionReport], accepted: set[int], user=None, version: str | None = None,
           now: dt.datetime | None = None) -> int:
    """Accept the reports whose pk is in `accepted`, refuse the others; one place at a time. Returns how many
    were decided: a report another coordinator decided meanwhile is left as they decided it.

    `version` is the place's version the coordinator read (the hidden input of the moderation page): a place
    changed since is refused with actors.core.locking's message, nothing written. Accepting a place's own proposal
    marks it verified. Raises ValidationError (bad value, stale version) or PermissionDenied (another place).
    """
    now = now or timezone.now()
    # Read again under lock (a write transaction on SQLite): two coordinators deciding the same report at once
    # (two workers, or a queue page loaded before the other's decision) decide it once.
    still_pending = set(CorrectionReport.objects.select_for_update().filter(
        pk__in=[r.pk for r in reports], status=CorrectionStatus.PENDING).values_list("pk", flat=True))
    reports = [r for r in reports if r.pk in still_pending]
    if not reports:
        return 0
    if len({r.structure_id for r in reports}) != 1:
        raise PermissionDenied(_("Une décision porte sur un seul lieu."))
    structure_pk = reports[0].structure_id
    if version is not None:
        locking.check_version(pk=structure_pk, token=version)
    taken = [r for r in reports if r.pk in accepted]
    if taken:
        structure = Structure.objects.get(pk=structure_pk)
        terms: dict[str, list[str]] = {}
        closures = None
        for report in taken:
            closures = _set_field(structure, report, terms, closures)
        if any(r.proposal for r in taken):
            # The place itself said what is true, and a coordinator checked it: the coordination's word.
            structure.mark_verified(by=Verifier.COORDINATION, at=now)
        names = ", ".join(f"#{r.pk}" for r in taken)
        services.structure_save(structure, terms or None, user=user, reason=f"Signalement {names} accepté")
        if closures is not None:
            _replace_upcoming_closures(structure, closures, user=user, today=timezone.localdate(now))
            locking.touch(structure.pk)
    for report in reports:
        report.status = CorrectionStatus.ACCEPTED if report.pk in accepted else CorrectionStatus.REJECTED
        report.decided_at = now
        report.decided_by = user
        report.contact_email = ""  # kept only as long as the report waits for an answer
        report.save(update_fields=["status", "decided_at", "decided_by", "contact_email"])
    return len(reports)


def correction_decide(report: CorrectionReport, accept: bool, user=None, *, version: str | None = None) -> bool:
    """Accept or refuse one report (the queue's bulk actions); False when it was decided meanwhile.

    `version` is the place's version the coordinator's page read; None only for callers with no page (tests of
    the decision itself), an empty string for a page that did not say (refused as stale)."""
    return decide(reports=[report], accepted={report.pk} if accept else set(), user=user, version=version) == 1


def decided_in_words(report: CorrectionReport) -> str:
    """Why nothing was done with a report decided before: by whom, when, how."""
    verdict = _("accepté") if report.status == CorrectionStatus.ACCEPTED else _("refusé")
    who = report.decided_by.get_username() if report.decided_by else _("l'application directe du département")
    when = formats.date_format(timezone.localtime(report.decided_at), "j F Y à H:i") if report.decided_at else ""
    return (_("Signalement #%(pk)d déjà %(verdict)s par %(who)s le %(when)s : rien n'a été changé.")
            % {"pk": report.pk, "verdict": verdict, "who": who, "when": when})


def current_in_words(report: CorrectionReport) -> str:
    """The place's value today of the field a report corrects, said after a refusal for staleness."""
    structure = Structure.objects.get(pk=report.structure_id)
    value = in_words(report.field, current_value(structure, report.field)) or _("(vide)")
    return " " + _("Valeur actuelle de « %(field)s » : %(value)s.") % {"field": report.get_field_display(),
                                                                     "value": value}


def applies_directly(structure: Structure) -> bool:
    """The place's département asks for its places' corrections to be applied without review."""
    departement = structure.commune.departement_id if structure.commune_id else None
    return FreshnessPolicy.objects.filter(departement_id=departement, apply_corrections=True).exists()


def check_value(*, structure: Structure, field: str, value: str) -> None:
    """Raise the ValidationError that accepting `value` for `field` would raise, writing nothing: senders who
    can be answered at once (the API) learn it then, rather than the coordinator at decision time."""
    report = CorrectionReport(structure=structure, field=field, proposed_value=value)
    _set_field(copy.copy(structure), report, {}, None)


def propose(*, structure: Structure, changes: dict[str, tuple[str, str]], note: str, origin: str,
            now: dt.datetime, from_the_place: bool = True) -> list[CorrectionReport]:
    """Write a proposal: one pending report per changed field (old and new value), and the note.

    When the département applies corrections directly, a place's own proposal is accepted at once (the reports
    stay as history); a partner's (`from_the_place=False`, the API) always waits for a coordinator.
    """
    proposal = uuid.uuid4()
    reports = [CorrectionReport(structure=structure, field=CorrectionField(field), proposed_value=new,
                                previous_value=old, message=origin, proposal=proposal)
               for field, (old, new) in changes.items()]
    if note.strip():
        reports.append(CorrectionReport(structure=structure, field=CorrectionField.OTHER, proposal=proposal,
                                        message=f"{origin}\n{note.strip()}"))
    reports = CorrectionReport.objects.bulk_create(reports)
    fields = [r for r in reports if r.field != CorrectionField.OTHER]
    if fields and from_the_place and applies_directly(structure):
        decide(reports=fields, accepted={r.pk for r in fields}, now=now)
    return reports


def proposal_reports(report: CorrectionReport, user) -> list[CorrectionReport]:
    """The reports sent with `report` (itself alone for a public report), among those `user` may decide."""
    if report.proposal is None:
        return [report]
    return list(CorrectionReport.objects.editable_by(user).filter(proposal=report.proposal)
                .select_related("structure").order_by("pk"))
