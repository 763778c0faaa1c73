"""The public page of a folded place: its records read as one, and its sources named.

Services are the union of the records' services; every phone number, e-mail address and website appears
once; the hours come from the freshest record that has hours (by the source's `date_maj`). The other fields
are the representative's (see actors/duplicates/folding.py for how it is chosen).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from actors.models import Structure, Term
from actors.vocabulary.enums import TermKind


@dataclass
class SourceLine:
    """One producer of the place's records: its name, its latest update, how many records it publishes."""

    name: str
    date_maj: dt.date
    records: int = 1


@dataclass
class FoldedPlace:
    sources: list[SourceLine] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    services: list[Term] = field(default_factory=list)
    horaires: str = ""
    hours_source: SourceLine | None = None
    pivot: str = ""


def copies_of(structure: Structure) -> list[Structure]:
    """The published records folded into `structure` (one query, plus one for their terms)."""
    copies = Structure.objects.published().filter(folded_into=structure).prefetch_related("terms")
    return list(copies.order_by("-date_maj", "pk"))


def _unique(values, key=lambda value: value) -> list[str]:
    seen, kept = set(), []
    for value in values:
        value = value.strip()
        if value and key(value) not in seen:
            seen.add(key(value))
            kept.append(value)
    return kept


def _digits(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    return "0" + digits[2:] if digits.startswith("33") and len(digits) == 11 else digits


def merge(structure: Structure, copies: list[Structure]) -> FoldedPlace:
    members = [structure, *copies]
    sources: dict[str, SourceLine] = {}
    for member in members:
        line = sources.get(member.source)
        if line is None:
            sources[member.source] = SourceLine(member.source or "—", member.date_maj)
        else:
            line.records += 1
            line.date_maj = max(line.date_maj, member.date_maj)
    place = FoldedPlace(
        sources=sorted(sources.values(), key=lambda line: (-line.date_maj.toordinal(), line.name)),
        phones=_unique((m.telephone for m in members), key=_digits),
        emails=_unique((e for m in members for e in m.courriel_list), key=str.lower),
        websites=_unique((w for m in members for w in m.site_web_list), key=lambda w: w.lower().rstrip("/")),
        pivot=next((m.shown_pivot for m in members if m.shown_pivot), ""),
    )
    services: dict[int, Term] = {}
    for member in members:
        for term in member.terms.all():
            if term.kind == TermKind.SERVICES:
                services.setdefault(term.pk, term)
    place.services = list(services.values())
    with_hours = [m for m in members if m.horaires.strip()]
    if with_hours:
        freshest = max(with_hours, key=lambda m: (m.date_maj, m.pk == structure.pk))
        place.horaires, place.hours_source = freshest.horaires, sources[freshest.source]
    return place


def root_slugs(slugs: list[str]) -> dict[str, str]:
    """{slug of a folded copy: slug of the place it is folded into}, for links printed before the folding."""
    rows = Structure.objects.published().filter(Q(slug__in=slugs) & Q(folded_into__isnull=False))
    return dict(rows.values_list("slug", "folded_into__slug"))
