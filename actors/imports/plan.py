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
- **Same version**: a row with the same `date_maj` as the stored place (the same producer's record reached
  through two files, e.g. the CNFS list and data·inclusion) completes the place and never blanks a field
  the other file filled: importing both, in any order and again, converges instead of flip-flopping.
- **Identity changes**: an update that changes the name and the commune at once is held (listed in the
  report, not written) unless `confirm_identity_changes`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from actors.core.locate import CommuneLookups, locate_commune
from actors.core.scope import commune_acceptor
from actors.imports.common import LegacyRow
from actors.imports.report import HeldUpdate, ImportReport
from actors.models import Structure
from actors.standard import ParsedRow
from actors.standard.parse import TEXT_FIELDS

CHUNK = 500


@dataclass
class Existing:
    pk: int
    nom: str
    commune_id: str | None
    commune_name: str
    date_maj: object
    values: dict  # the stored writable fields the standard carries


STORED_FIELDS = [*TEXT_FIELDS.values(), "location"]


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


def complete_from_stored(parsed: ParsedRow, current: Existing, terms: dict[str, list[str]]) -> None:
    """Same version: keep what the stored place has where the row is empty (fields and vocabularies)."""
    for name in list(parsed.values):
        if parsed.values[name] in ("", None) and current.values.get(name) not in ("", None):
            del parsed.values[name]
    for kind, codes in terms.items():
        if not parsed.terms.get(kind):
            parsed.terms[kind] = codes


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
    same_version = [e.pk for _l, p in valid for e in [existing.get((p.values["source"], p.values["source_id"]))]
                    if e is not None and e.date_maj == p.values["date_maj"]]
    terms_of = stored_terms(same_version) if same_version else {}
    allowed = []
    for legacy, parsed in valid:
        values = parsed.values
        match = locate_commune(values["code_insee"], values["code_postal"], values["commune_nom"], values["location"],
                               lookups=lookups)
        if match.commune is None and values["location"] is None:
            report.reject(legacy.number, "commune",
                          _("Lieu impossible à situer : %(reason)s") % {"reason": match.reason})
            continue
        if match.approximate:
            report.warn(legacy.number, "commune", _("Commune retenue %(commune)s, marquée approximative : "
                                                    "%(why)s.") % {"commune": match.commune,
                                                                   "why": " ; ".join(match.disagreements)})
        current = existing.get((values["source"], values["source_id"]))
        if limited and current is not None and current.pk not in editable:
            report.reject(legacy.number, "id", _("Le lieu existant #%(pk)s « %(nom)s » (%(commune)s) est hors de "
                                                 "votre territoire : vous ne pouvez pas le modifier.") % {
                "pk": current.pk, "nom": current.nom, "commune": current.commune_name or _("commune inconnue")})
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
        if current is not None and current.date_maj == values["date_maj"]:
            complete_from_stored(parsed, current, terms_of.get(current.pk, {}))
            values = parsed.values
        new_commune = match.commune.pk if match.commune else None
        if (current is not None and not confirm_identity_changes and values.get("nom", current.nom) != current.nom
                and new_commune != current.commune_id):
            report.held.append(HeldUpdate(legacy.number, current.pk, current.nom, values["nom"],
                                          current.commune_name, match.commune.name if match.commune else ""))
            continue
        allowed.append((legacy, parsed))
    return allowed
