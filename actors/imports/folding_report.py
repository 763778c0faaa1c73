"""What an import did to the public site through folding: never silent (docs/folding.md, « In the report »).

Read inside the import's transaction, before and after `folding.refresh`, so a dry run reports what applying
would do: the duplicate pairs stored, the new places hidden because they fold into another record, and the
existing public places that a new record replaces on the site, each with the representative rule's reason.
"""

from dataclasses import dataclass, field

from django.db.models import Max
from django.utils.translation import gettext as _

from actors.duplicates import folding
from actors.models import DuplicateCandidate, Structure


@dataclass
class FoldedPlace:
    """A record that is not on the public site after the import: `representative` stands for it."""

    pk: int
    nom: str
    row: int  # the file's row that created it; 0 for a place stored before the import
    representative_pk: int
    representative_nom: str
    representative_row: int  # 0 when the representative was stored before the import
    why: str  # the representative rule's step that chose it

    @property
    def existing(self) -> bool:
        return self.row == 0


@dataclass
class StoredPair:
    pk: int
    first: tuple[int, str, int]  # pk, name, the file's row (0: stored before the import)
    second: tuple[int, str, int]
    folds: bool


@dataclass
class FoldLine:
    """One folding fact of the report; `link`: ("place" or "pair", pk) of a record that exists after the
    import (a dry run's new records do not), else None."""

    row: int
    kind: str
    text: str
    link: tuple[str, int] | None = None
    public_change: bool = True  # False for a pair stored for coordinators, which the public does not see


@dataclass
class FoldingOutcome:
    pairs: list[StoredPair] = field(default_factory=list)
    hidden_new: list[FoldedPlace] = field(default_factory=list)
    replaced: list[FoldedPlace] = field(default_factory=list)


@dataclass
class Before:
    last_pair: int
    folded: dict[int, int]


def before() -> Before:
    """The state folding starts from: the last pair stored and every folded record."""
    last = DuplicateCandidate.objects.aggregate(last=Max("pk"))["last"] or 0
    return Before(last, dict(Structure.objects.filter(folded_into__isnull=False).values_list("pk", "folded_into")))


def outcome(start: Before, rows: dict[int, int], created: set[int]) -> FoldingOutcome:
    """`rows`: the file's row of every record written; `created`: the records the import created."""
    result = FoldingOutcome()
    pairs = DuplicateCandidate.objects.filter(pk__gt=start.last_pair).select_related("first", "second")

    def member(structure: Structure) -> tuple[int, str, int]:
        return structure.pk, structure.nom, rows.get(structure.pk, 0) if structure.pk in created else 0

    result.pairs = [StoredPair(p.pk, member(p.first), member(p.second), p.folds) for p in pairs.order_by("pk")]
    after = dict(Structure.objects.filter(folded_into__isnull=False).values_list("pk", "folded_into"))
    hidden = {pk: root for pk, root in after.items() if pk in created}
    # Public before, folded now: an existing place whose card now shows another record.
    replaced = {pk: root for pk, root in after.items() if pk not in created and pk not in start.folded}
    involved = set(hidden) | set(replaced) | set(hidden.values()) | set(replaced.values())
    names = dict(Structure.objects.filter(pk__in=involved).values_list("pk", "nom"))
    standing = folding.standings(list(involved))

    def place(pk: int, root: int) -> FoldedPlace:
        return FoldedPlace(pk, names[pk], rows.get(pk, 0) if pk in created else 0, root, names[root],
                           rows.get(root, 0) if root in created else 0,
                           folding.why_preferred(standing[root], standing[pk]))

    result.hidden_new = [place(pk, root) for pk, root in sorted(hidden.items())]
    result.replaced = [place(pk, root) for pk, root in sorted(replaced.items())]
    return result


def _label(pk: int, nom: str, row: int, applied: bool) -> str:
    # A dry run's new records are rolled back: named by their row, never by an id that will not exist.
    return f"#{pk} « {nom} »" if applied or not row else _("ligne %(row)s « %(nom)s »") % {"row": row, "nom": nom}


def lines(result: FoldingOutcome, *, applied: bool) -> list[FoldLine]:
    """Every folding fact of the import, in French, with a link to a record that exists when there is one."""
    found = []
    for pair in result.pairs:
        found.append(FoldLine(pair.first[2] or pair.second[2], _("paire de doublons enregistrée"), _(
            "%(first)s / %(second)s%(folds)s") % {
            "first": _label(*pair.first, applied), "second": _label(*pair.second, applied),
            "folds": _(" : regroupés sur le site public") if pair.folds else ""},
            ("pair", pair.pk) if applied else None, public_change=False))
    for item in result.hidden_new:
        root = _label(item.representative_pk, item.representative_nom, item.representative_row, applied)
        found.append(FoldLine(item.row, _("nouveau lieu masqué (regroupé)"), _(
            "%(place)s n'apparaît pas sur le site public : regroupé avec %(root)s, qui le représente car "
            "%(why)s.") % {"place": _label(item.pk, item.nom, item.row, applied), "root": root, "why": item.why},
            ("place", item.representative_pk) if applied or not item.representative_row else None))
    for item in result.replaced:
        root = _label(item.representative_pk, item.representative_nom, item.representative_row, applied)
        found.append(FoldLine(item.representative_row, _("lieu public remplacé"), _(
            "%(place)s, public avant l'import, est remplacé sur le site par %(root)s (même lieu), car "
            "%(why)s.") % {"place": _label(item.pk, item.nom, 0, applied), "root": root, "why": item.why},
            ("place", item.pk)))
    return found
