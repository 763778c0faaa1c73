"""What an import may write, decided before the write transaction: place, source, territory, confirmation.

    allowed = plan_rows(valid, report, user=request.user, confirm_identity_changes=False)

For every valid row, in this order:
- **Commune**: the published name, postcode, INSEE code and point are cross-checked
  (`actors.core.locate.locate_commune`); disagreements are reported with their distances and the place is marked
  « commune approximative »; a row with neither a commune that can be found nor a point is refused.
- **Existing record**: looked up by its key (source, source id), the source being the producer the row or
  the file names. An update that would set `date_maj` back in time is skipped (the stored version is newer).
- **Territories, both sides** (a coordinator's import): the existing record must be editable by the user
  (`Structure.objects.editable_by`) and the new commune must lie in the user's territories (the same rule,
  `CoordinatorScope.objects.condition`, through `actors.core.scope.commune_acceptor`).
- **Precedence** (`apply_precedence`, one rule for every field): a newer `date_maj` wins; the same
  `date_maj` (the same producer's record reached through two files, e.g. the CNFS list and data·inclusion)
  leaves the stored real values as they are and only fills its blanks; an empty or placeholder value (the
  unknown SIRET) never overwrites a real one. Importing any sequence of files, again, writes nothing.
- **Identity changes**: an update that changes the name and the commune at once is held (listed in the
  report, not written) unless `confirm_identity_changes`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from actors.core.locate import CommuneLookups, locate_commune
from actors.core.scope import commune_acceptor
from actors.core.writes import same_point
from actors.imports.common import LegacyRow
from actors.imports.report import HeldUpdate, ImportReport
from actors.models import Structure
from actors.standard import ParsedRow
from actors.standard.parse import TEXT_FIELDS
from actors.vocabulary.enums import is_real_pivot

CHUNK = 500


@dataclass
class Existing:
    pk: int
    nom: str
    commune_id: str | None
    commune_name: str
    date_maj: object
    values: dict  # the stored writable fields the standard carries


STORED_FIELDS = [*TEXT_FIELDS.values(), "location", "location_is_approximate"]


def existing_records(keys: list[tuple[str, str]]) -> dict[tuple[str, str], Existing]:
    """Stored structures by (source, source_id), read in a few queries whatever the number of rows."""
    found: dict[tuple[str, str], Existing] = {}
    by_source: dict[str, list[str]] = {}
    for source, source_id in keys:
        by_source.setdefault(source, []).append(source_id)
    for source, ids in by_source.items():
        for start in range(0, len(ids), CHUNK):
            rows = Structure.objects.filter(source=source, source_id__in=ids[start:start + CHUNK]).values(
                "pk", "commune_id", "commune__name", "date_maj", *STORED_FIELDS)
            for row in rows:
                found[(source, row["source_id"])] = Existing(row["pk"], row["nom"], row["commune_id"],
                                                             row["commune__name"] or "", row["date_maj"], row)
    return found


def stored_terms(pks: list[int]) -> dict[int, dict[str, list[str]]]:
    """{pk: {kind: [codes]}} of stored places."""
    found: dict[int, dict[str, list[str]]] = {}
    links = Structure.terms.through.objects.filter(structure_id__in=pks).values_list(
        "structure_id", "term__kind", "term__code")
    for pk, kind, code in links:
        found.setdefault(pk, {}).setdefault(kind, []).append(code)
    return found


# Fields that identify the record and its version: never subject to the precedence rule.
KEY_FIELDS = {"source", "source_id", "date_maj"}


def real(name: str, value) -> bool:
    """A value worth keeping: not empty, and not the placeholder SIRET."""
    if value in ("", None):
        return False
    return is_real_pivot(value) if name == "pivot" else True


def same_value(name: str, new, old) -> bool:
    if name == "location" and new is not None and old is not None:
        return same_point(new, old)
    return new == old


def apply_precedence(parsed: ParsedRow, current: Existing, terms: dict[str, list[str]], *,
                     same_version: bool) -> list[str]:
    """The one rule between two versions of a producer's record (docs/imports.md, « Priorité entre fichiers »):
    an empty or placeholder value never overwrites a real one; at the same `date_maj` the stored real values
    stay and only the stored blanks are filled (an older `date_maj` is skipped before, a newer one wins).

    Removes from `parsed` what must not be written; returns the fields kept as stored."""
    kept = []
    for name in list(parsed.values):
        if name in KEY_FIELDS:
            continue
        new, old = parsed.values[name], current.values.get(name)
        if name == "location" and current.values.get("location_is_approximate"):
            old = None  # a commune centre standing in for a missing point is no published value
        if real(name, old) and (not real(name, new) or same_version):
            if not same_value(name, new, old):
                kept.append(name)
            del parsed.values[name]
    for kind, codes in terms.items():
        if codes and (same_version or not parsed.terms.get(kind)):
            parsed.terms[kind] = codes
    return kept


def editable_pks(user, pks: list[int]) -> set[int]:
    editable: set[int] = set()
    for start in range(0, len(pks), CHUNK):
        editable.update(Structure.objects.editable_by(user).filter(pk__in=pks[start:start + CHUNK])
                        .values_list("pk", flat=True))
    return editable


def plan_rows(
    valid: list[tuple[LegacyRow, ParsedRow]],
    report: ImportReport,
    *,
    user=None,
    confirm_identity_changes: bool = False,
    lookups: CommuneLookups | None = None,
) -> list[tuple[LegacyRow, ParsedRow]]:
    """The rows that may be written; every other one is rejected, skipped or held in `report`.

    `lookups`: communes loaded once for the file (actors.imports.bulk.CommuneIndex), else one query each."""

    existing = existing_records([(p.values["source"], p.values["source_id"]) for _l, p in valid
                                 if p.values.get("source_id")])
    limited = user is not None and not user.is_superuser
    editable = editable_pks(user, [e.pk for e in existing.values()]) if limited else set()
    accept = commune_acceptor(user) if limited else None
    terms_of = stored_terms([e.pk for e in existing.values()]) if existing else {}
    allowed = []
    for legacy, parsed in valid:
        values = parsed.values
        asked = (values["code_insee"], values["code_postal"], values["commune_nom"], values["location"])
        match = locate_commune(*asked, lookups=lookups)
        legacy.located = (asked, match)  # handed to the writer: one location per row
        if match.commune is None and values["location"] is None:
            report.reject(legacy.number, "commune",
                          _("Lieu impossible à situer : %(reason)s") % {"reason": match.reason})
            continue
        for arbitration in match.arbitrations:
            report.warn(legacy.number, "code_insee", _("Commune retenue %(commune)s : %(why)s.") % {
                "commune": match.commune, "why": arbitration})
        if match.approximate:
            report.warn(legacy.number, "commune", _("Commune retenue %(commune)s, marquée approximative : "
                                                    "%(why)s.") % {"commune": match.commune,
                                                                   "why": " ; ".join(match.disagreements)})
        current = existing.get((values["source"], values["source_id"]))
        if limited and current is not None and current.pk not in editable:
            # Never name it: a coordinator learns nothing of another territory's places from a refusal.
            report.reject(legacy.number, "id", _("Cet identifiant est celui d'un lieu hors de votre territoire : "
                                                 "vous ne pouvez pas le modifier."))
            continue
        if limited and not accept(match.commune):
            name = match.commune.name if match.commune else values["commune_nom"]
            report.reject(legacy.number, "commune", _("%(commune)s : hors de votre territoire.") % {"commune": name})
            continue
        if current is not None and current.date_maj and values["date_maj"] and values["date_maj"] < current.date_maj:
            report.warn(legacy.number, "date_maj", _("Le lieu #%(pk)s enregistré est plus récent (%(stored)s) que "
                                                     "cette ligne (%(new)s) : ligne ignorée.") % {
                "pk": current.pk, "stored": current.date_maj.isoformat(), "new": values["date_maj"].isoformat()})
            report.unchanged += 1
            continue
        if current is not None:
            same_version = current.date_maj == values["date_maj"]
            kept = apply_precedence(parsed, current, terms_of.get(current.pk, {}), same_version=same_version)
            if kept:
                report.warn(legacy.number, ", ".join(kept), (_(
                    "Même date de mise à jour que le lieu #%(pk)s enregistré : ses valeurs sont gardées.")
                    if same_version else _("Valeur vide ou SIRET inconnu : la valeur enregistrée du lieu #%(pk)s "
                                           "est gardée.")) % {"pk": current.pk})
            values = parsed.values
        new_commune = match.commune.pk if match.commune else None
        if (current is not None and not confirm_identity_changes and values.get("nom", current.nom) != current.nom
                and new_commune != current.commune_id):
            report.held.append(HeldUpdate(legacy.number, current.pk, current.nom, values["nom"],
                                          current.commune_name, match.commune.name if match.commune else ""))
            continue
        allowed.append((legacy, parsed))
    return allowed
