from django.db import migrations

from actors.vocabulary.terms import load_terms


def forwards(apps, schema_editor):
    load_terms(apps.get_model("actors", "Term"))


def backwards(apps, schema_editor):
    apps.get_model("actors", "Term").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
