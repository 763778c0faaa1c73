"""PostgreSQL: a spatial index of the public places only.

With the plain GiST index, the planner ANDs it with the bitmap of every published place (95,000 rows read to
keep ~1,000 for a 10 km box); this one answers "public and in the box" alone. SpatiaLite reads its R*Tree
(actors/core/spatial_index.py) and needs nothing here.
"""

from django.db import migrations

INDEX = "structure_public_location_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON actors_structure USING gist (location) "
            "WHERE state = 'published' AND folded_into_id IS NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [("actors", "0340_structure_public_indexes")]

    operations = [migrations.RunPython(create, drop)]
