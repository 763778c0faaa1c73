"""Text search, second version (see actors/search.py): folded documents with joined compounds, rebuilt;
on SQLite an fts5vocab table over the FTS index (words for the correction of misspellings); on both an
index on (state, nom, id) so that a very broad text match is listed by name without sorting it all.
"""

from django.db import migrations

SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS actors_structure_fts_words USING fts5vocab(actors_structure_fts, 'row')",
]
SQLITE_BACKWARDS = ["DROP TABLE IF EXISTS actors_structure_fts_words"]
BOTH_FORWARDS = ["CREATE INDEX IF NOT EXISTS actors_structure_search_name ON actors_structure (state, nom, id)"]
BOTH_BACKWARDS = ["DROP INDEX IF EXISTS actors_structure_search_name"]


def forwards(apps, schema_editor):
    from actors.search import rebuild_search_index

    statements = BOTH_FORWARDS + ([] if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARDS)
    for statement in statements:
        schema_editor.execute(statement)
    rebuild_search_index(apps.get_model("actors", "Structure"))


def backwards(apps, schema_editor):
    statements = BOTH_BACKWARDS + ([] if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARDS)
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("actors", "0051_weeklyslot_lookup_index")]
    operations = [migrations.RunPython(forwards, backwards)]
