"""Who confirmed a place last: the coordination, or the place itself (« Rien n'a changé » on its private link).

Places verified before this migration are the coordination's, except those whose confirmation is the very
moment a place answered « confirmé sans changement » to an update request (the link wrote both at once).
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def backfill(apps, schema_editor):
    Structure = apps.get_model("actors", "Structure")
    UpdateRequest = apps.get_model("actors", "UpdateRequest")
    Structure.objects.filter(verified_at__isnull=False).update(verified_by="coordination")
    by_place = UpdateRequest.objects.filter(structure=OuterRef("pk"), answer="confirmed",
                                            answered_at=OuterRef("verified_at"))
    Structure.objects.filter(Exists(by_place)).update(verified_by="lieu")


class Migration(migrations.Migration):

    dependencies = [
        ('actors', '0440_ateliers'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalstructure',
            name='verified_by',
            field=models.CharField(blank=True, choices=[('', 'jamais vérifié'), ('coordination', 'la coordination'), ('lieu', 'le lieu')], default='', editable=False, max_length=12, verbose_name='vérifié par'),
        ),
        migrations.AddField(
            model_name='structure',
            name='verified_by',
            field=models.CharField(blank=True, choices=[('', 'jamais vérifié'), ('coordination', 'la coordination'), ('lieu', 'le lieu')], default='', editable=False, max_length=12, verbose_name='vérifié par'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
