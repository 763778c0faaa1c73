"""Import of partner files: the national standard and the older formats still in circulation.

One place of truth: every legacy adapter turns its records into rows of the national standard
(standard column -> string), mapping legacy vocabularies and reporting each value it cannot map with its
count; then `actors.standard.parse_row` validates every row and `actors.core.writes.structure_upsert` writes it.

Python API (used by `manage.py import_lieux` and by the coordinators' admin upload):

    from actors.imports import import_file
    report = import_file(uploaded_file, "lieux.csv", apply=False,          # dry run: nothing is written
                         user=request.user,                                 # None: the operator, no limit
                         source="Réseau X", confirm_identity_changes=False,
                         strict=False)                                      # True: all or nothing
    report.ok, report.fatal                  # fatal: the French reason why nothing was written
    report.created, report.updated, report.unchanged, report.rejected
    report.problems                          # RowProblem(row, column, reason, rejected)
    report.changes, report.held              # updates field by field; name + commune changes held
    report.unmapped                          # Counter {(column, legacy value): count}
    report.duplicates                        # DuplicatePair(first_id, second_id, …, score, reasons)
    report.summary()                         # one French line; write_csv([report], stream) for the details

`fileobj_or_path`: a path, or a binary (or text) file object such as an uploaded file. `apply=False` runs
everything inside a transaction rolled back at the end, so counts and duplicate pairs are exact and nothing
stays in the database. One transaction per file.

Rules:
- Every row stands alone (any format): an invalid optional value is dropped with a warning (an invalid SIRET
  becomes the unknown SIRET), a row that cannot be placed or misses a required value is rejected alone; the
  others are written. `strict=True` is all or nothing (one rejected or held row refuses the file).
  `report.exit_code`: 0 all written, 2 written with rejected rows, 1 nothing written.
- Two versions of one record: the newer `date_maj` wins, an equal one keeps the stored values and fills its
  blanks, a placeholder never overwrites a real value (`actors.imports.plan.apply_precedence`).
- A coordinator's import (`user`) writes a row only if the stored place and the new commune both lie in the
  user's territories (`actors.imports.plan`); otherwise « hors de votre territoire ».
- The key is (source, id), the source being the producer the row names (`source` column), else `source`,
  else the legacy format's producer or the standard file's name: never the adapter. An update that changes
  the name and the commune at once is held unless `confirm_identity_changes`. Re-running changes nothing.
- UTF-8 with or without BOM and Windows-1252 (Latin-1) files are read, with a note.
"""

from actors.imports.formats import FORMAT_CHOICES
from actors.imports.report import DuplicatePair, ImportReport, RowProblem, write_csv
from actors.imports.run import import_file

__all__ = ["FORMAT_CHOICES", "DuplicatePair", "ImportReport", "RowProblem", "import_file", "write_csv"]
