from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("actors", "0051_weeklyslot_lookup_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="structure",
            index=models.Index(fields=["state", "nom", "id"], name="structure_state_nom_idx"),
        ),
    ]
