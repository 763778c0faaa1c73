"""The outcome of importing one file: counts, per-row problems, unmapped values, duplicate pairs."""

import csv
import re
from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from actors.duplicates.pairs import DuplicatePair
from actors.imports.folding_report import FoldLine


@dataclass
class RowProblem:
    row: int  # 1 = first data row (line 2 of a CSV, first object of a JSON list); 0 = the whole file
    column: str
    reason: str
    rejected: bool = True  # False for a warning: the row is imported, the value dropped or corrected


@dataclass
class RowChange:
    """An update of an existing place: its row, the place, and every field that changes (old -> new)."""

    row: int
    pk: int
    nom: str
    changes: list  # actors.core.writes.FieldChange(field, old, new)


@dataclass
class HeldUpdate:
    """An update that changes the name and the commune at once: written only when confirmed."""

    row: int
    pk: int
    old_nom: str
    new_nom: str
    old_commune: str
    new_commune: str


@dataclass
class ImportReport:
    filename: str
    format: str = ""
    source: str = ""  # for reading: the producers of the file's rows, joined
    sources: list[str] = field(default_factory=list)  # every producer the rows name (the keys' sources)
    applied: bool = False
    rows: int = 0  # records read from the file
    places: int = 0  # places after conversion (a legacy file may group several records per place)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    fatal: str = ""  # when set, nothing from the file was written
    notes: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    unmapped: Counter = field(default_factory=Counter)  # (column, value) -> count
    duplicates: list[DuplicatePair] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)  # every update, field by field
    held: list[HeldUpdate] = field(default_factory=list)  # name + commune changes awaiting confirmation
    ignored_columns: dict[str, int] = field(default_factory=dict)  # column -> rows that fill it
    # Folding (actors/imports/folding_report.py): pairs stored, new places hidden, public places replaced.
    pairs_stored: int = 0
    hidden_new: int = 0
    replaced: int = 0
    folding: list[FoldLine] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.fatal

    @property
    def exit_code(self) -> int:
        """0 every row written (or unchanged), 2 written with rejected or held rows, 1 nothing written."""
        if self.fatal:
            return 1
        if self.rejected or self.held:
            return 2 if self.created or self.updated or self.unchanged else 1
        return 0

    @property
    def written(self) -> bool:
        return self.applied and self.ok and bool(self.created or self.updated)

    @property
    def unmapped_counts(self) -> list[tuple[tuple[str, str], int]]:
        """[((column, value), count)], most frequent first (templates cannot call Counter.most_common: a
        Counter answers 0 to the lookup of any key, "most_common" included)."""
        return self.unmapped.most_common()

    def reject(self, row: int, column: str, reason: str) -> None:
        self.problems.append(RowProblem(row, column, reason))

    def warn(self, row: int, column: str, reason: str) -> None:
        self.problems.append(RowProblem(row, column, reason, rejected=False))

    def top_reasons(self, limit: int = 5) -> list[tuple[str, int]]:
        """The most frequent rejection reasons, values removed so that similar reasons add up."""
        counts = Counter(
            f"{problem.column} : {_generic(problem.reason)}" for problem in self.problems if problem.rejected
        )
        return counts.most_common(limit)

    def summary(self) -> str:
        if self.fatal:
            return _("%(file)s : REFUSÉ, rien n'est écrit. %(reason)s") % {"file": self.filename, "reason": self.fatal}
        mode = _("écrit") if self.applied else _("simulation, rien n'est écrit")
        text = _(
            "%(file)s (%(format)s, source « %(source)s », %(mode)s) : %(rows)s lignes, %(places)s lieux : "
            "%(created)s créés, %(updated)s modifiés, %(unchanged)s inchangés, %(rejected)s rejetés ; "
            "%(unmapped)s valeurs non reconnues ; %(duplicates)s paires de doublons probables enregistrées, "
            "%(hidden)s nouveaux lieux masqués car regroupés, %(replaced)s lieux publics remplacés sur le site."
        ) % {
            "file": self.filename, "format": self.format, "source": self.source, "mode": mode, "rows": self.rows,
            "places": self.places, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": self.rejected, "unmapped": sum(self.unmapped.values()), "duplicates": self.pairs_stored,
            "hidden": self.hidden_new, "replaced": self.replaced,
        }
        if self.held:
            text += " " + _("%(count)s modification(s) du nom et de la commune à la fois en attente de "
                            "confirmation, non écrite(s).") % {"count": len(self.held)}
        if self.ignored_columns:
            text += " " + _("Colonnes ignorées : %(columns)s.") % {"columns": ", ".join(
                f"{name} ({count})" for name, count in self.ignored_columns.items())}
        return text

    def csv_rows(self) -> list[list[str]]:
        rows = []
        if self.fatal:
            rows.append([self.filename, "0", "", _("fichier refusé"), self.fatal])
        for problem in self.problems:
            kind = _("ligne rejetée") if problem.rejected else _("avertissement")
            rows.append([self.filename, str(problem.row), problem.column, kind, problem.reason])
        for change in self.changes:
            for item in change.changes:
                rows.append([self.filename, str(change.row), item.field, _("modification"),
                             f"#{change.pk} {change.nom} : « {item.old} » → « {item.new} »"])
        for held in self.held:
            rows.append([self.filename, str(held.row), "nom, commune", _("en attente de confirmation"),
                         f"#{held.pk} « {held.old_nom} » ({held.old_commune}) → « {held.new_nom} » "
                         f"({held.new_commune})"])
        for name, count in self.ignored_columns.items():
            rows.append([self.filename, "", name, _("colonne ignorée"), _("%(count)s ligne(s) remplie(s)") % {
                "count": count}])
        for (column, value), count in self.unmapped.most_common():
            rows.append([self.filename, "", column, _("valeur non reconnue"), f"{value} ({count})"])
        for pair in self.duplicates:
            rows.append([self.filename, "", "", _("doublon probable"),
                         f"#{pair.first_id} {pair.first_name} / #{pair.second_id} {pair.second_name} : "
                         f"{pair.score} ({pair.reasons})"])
        for line in self.folding:
            rows.append([self.filename, str(line.row or ""), "", line.kind, line.text, admin_link(line.link)])
        return rows


CSV_HEADER = ["fichier", "ligne", "colonne", "type", "motif", "lien"]

ADMIN_VIEWS = {"place": "admin:actors_structure_change", "pair": "admin:actors_duplicatecandidate_change"}


def admin_link(link: tuple[str, int] | None) -> str:
    """The admin page of a folding line's record (a path: the report is read beside the site)."""
    return reverse(ADMIN_VIEWS[link[0]], args=[link[1]]) if link else ""


def write_csv(reports: list[ImportReport], stream) -> None:
    writer = csv.writer(stream)
    writer.writerow(CSV_HEADER)
    for report in reports:
        writer.writerows(report.csv_rows())


def _generic(reason: str) -> str:
    """"Le SIRET « 123 » est invalide…" -> "Le SIRET « … » est invalide…", to count reasons together."""
    return re.sub(r"«[^»]*»", "« … »", reason)
