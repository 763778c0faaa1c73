"""Text search index: a weighted tsvector + GIN on PostGIS, an FTS5 table on SQLite (see actors/core/search_index.py).

Neither is a model field: the ORM never reads them, and each database gets its own equivalent.
"""

from django.db import migrations

POSTGRES_FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "ALTER TABLE actors_structure ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE INDEX IF NOT EXISTS actors_structure_search_gin ON actors_structure USING GIN (search_vector)",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS actors_structure_search_gin",
    "ALTER TABLE actors_structure DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS actors_structure_fts USING fts5("
    "nom, termes, description, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACKWARDS = ["DROP TABLE IF EXISTS actors_structure_fts"]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    from actors.core.search_index import rebuild_search_index

    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES_FORWARDS)
    else:
        _run(schema_editor, SQLITE_FORWARDS)
    rebuild_search_index(apps.get_model("actors", "Structure"))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES_BACKWARDS)
    else:
        _run(schema_editor, SQLITE_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("actors", "0002_load_terms")]
    operations = [migrations.RunPython(forwards, backwards)]
