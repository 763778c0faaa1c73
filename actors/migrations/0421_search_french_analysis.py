"""Text search, third version: the index holds French stems (see actors/core/search_index.py `analysed`).

The words table is emptied first: corrections and prefix expansions must propose stems the index holds.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from actors.core.search_index import WORDS_TABLE, rebuild_search_index

    schema_editor.execute(f"DELETE FROM {WORDS_TABLE}")
    rebuild_search_index(apps.get_model("actors", "Structure"))


class Migration(migrations.Migration):
    dependencies = [("actors", "0411_structure_hours_vary_index")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
