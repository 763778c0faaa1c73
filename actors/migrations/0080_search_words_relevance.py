"""Text search, second version (see actors/core/search_index.py).

- Documents are folded in Python, with joined compounds; the index is rebuilt.
- SQLite: the FTS5 table gains prefix indexes for 3 and 4 characters (a short prefix then reads one list
  instead of merging hundreds), so it is recreated.
- Both: `actors_search_word`, every indexed word (prefix expansion on SQLite, correction of misspellings).
"""

from django.db import migrations

FTS = ("CREATE VIRTUAL TABLE actors_structure_fts USING fts5(nom, termes, description, "
       "tokenize = 'unicode61 remove_diacritics 2'{prefix})")
SQLITE_FORWARDS = [
    "DROP TABLE IF EXISTS actors_structure_fts_words",
    "DROP TABLE IF EXISTS actors_structure_fts",
    FTS.format(prefix=", prefix = '3 4'"),
]
SQLITE_BACKWARDS = ["DROP TABLE IF EXISTS actors_structure_fts", FTS.format(prefix="")]
BOTH_FORWARDS = [
    "CREATE TABLE IF NOT EXISTS actors_search_word (word varchar(200) NOT NULL PRIMARY KEY)",
]
BOTH_BACKWARDS = ["DROP TABLE IF EXISTS actors_search_word"]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    from actors.core.search_index import rebuild_search_index

    if schema_editor.connection.vendor != "postgresql":
        _run(schema_editor, SQLITE_FORWARDS)
    _run(schema_editor, BOTH_FORWARDS)
    rebuild_search_index(apps.get_model("actors", "Structure"))


def backwards(apps, schema_editor):
    _run(schema_editor, BOTH_BACKWARDS)
    if schema_editor.connection.vendor != "postgresql":
        _run(schema_editor, SQLITE_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("actors", "0051_weeklyslot_lookup_index")]
    operations = [migrations.RunPython(forwards, backwards)]
