"""What an update changes, field by field, old and new values as text: for the import report's diff."""

from dataclasses import dataclass

from actors.models import Structure, Term


@dataclass
class FieldChange:
    """One field of an update, old and new values as text (for the import report's field-by-field diff)."""

    field: str
    old: str
    new: str


def _as_text(name: str, value) -> str:
    if value is None:
        return ""
    if name == "location":
        return f"{value.y:.6f}, {value.x:.6f}"
    return str(value)


def field_changes(structure: Structure, values: dict, changed: list[str], term_rows: list[Term],
                  terms_changed: bool) -> list[FieldChange]:
    """Old and new values of an update, read before the fields are set (terms by kind, as codes)."""
    found = [FieldChange(name, _as_text(name, getattr(structure, name)), _as_text(name, values[name]))
             for name in changed]
    if terms_changed:
        old: dict[str, set[str]] = {}
        for term in structure.terms.all():
            old.setdefault(term.kind, set()).add(term.code)
        new: dict[str, set[str]] = {}
        for term in term_rows:
            new.setdefault(term.kind, set()).add(term.code)
        for kind in sorted(set(old) | set(new)):
            if old.get(kind, set()) != new.get(kind, set()):
                found.append(FieldChange(kind, "|".join(sorted(old.get(kind, ()))),
                                         "|".join(sorted(new.get(kind, ())))))
    return found
