"""The formats the importer knows, and how a file's format is recognised from its columns."""

from types import ModuleType

from django.utils.translation import gettext as _

from actors.imports import not_places
from actors.imports.adapters import (
    bus,
    cnfs,
    creuse,
    data_inclusion,
    fibre64,
    france_services,
    gironde,
    haute_vienne,
    standard_v01,
)
from actors.imports.reading import FileProblem, Table
from actors.standard import columns as standard_columns

STANDARD = "standard"
# Legacy adapters, most specific signature first (the data·inclusion export also has the standard's
# required columns, so legacy signatures are tried before the standard).
ADAPTERS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (bus, cnfs, data_inclusion, france_services, gironde, haute_vienne, creuse, fibre64, standard_v01)
}
DIRECTORIES = [bus.NAME, gironde.NAME, haute_vienne.NAME, creuse.NAME, fibre64.NAME]
FORMAT_CHOICES = ["auto", STANDARD, standard_v01.NAME, cnfs.NAME, france_services.NAME, data_inclusion.NAME,
                  "directory-json", *DIRECTORIES]


def detect(table: Table, wanted: str = "auto") -> str:
    """The format name of `table`; raises FileProblem when it is none of the known ones."""
    present = set(table.columns)
    if wanted == STANDARD:
        return STANDARD
    if wanted == standard_v01.NAME and standard_v01.COLUMNS <= present:
        return wanted  # asked for: the columns both versions share are enough
    if wanted in ADAPTERS:
        if not ADAPTERS[wanted].detect(present):
            missing = ", ".join(sorted(ADAPTERS[wanted].COLUMNS - present))
            raise FileProblem(_("Le fichier n'est pas au format « %(format)s » : colonnes absentes : %(missing)s.")
                              % {"format": wanted, "missing": missing})
        return wanted
    if wanted == "auto" and (sentence := not_places.describe(present)):
        raise FileProblem(sentence)
    if wanted == "auto":
        # A directory's signature names columns no version of the standard has (the bus file also carries
        # v0.1's, with an empty date_maj the bus adapter knows how to date).
        for name in DIRECTORIES:
            if ADAPTERS[name].detect(present):
                return name
    if wanted == "auto" and standard_v01.detect_first(present):
        return standard_v01.NAME
    candidates = DIRECTORIES if wanted == "directory-json" else list(ADAPTERS)
    for name in candidates:
        if ADAPTERS[name].detect(present):
            return name
    if wanted == "auto" and len(present & set(standard_columns())) >= 3:
        if standard_v01.has_v01_services(table):
            return standard_v01.NAME
        return STANDARD  # the standard's header checks then name the missing columns
    raise FileProblem(
        _("Format de fichier inconnu : ni le standard « Lieux de médiation numérique » (colonnes id, pivot, "
          "nom, commune, code_postal, adresse, date_maj…), ni un des anciens formats reconnus (%(known)s). "
          "Colonnes trouvées : %(found)s.")
        % {"known": ", ".join(ADAPTERS), "found": ", ".join(table.columns[:12])}
    )
