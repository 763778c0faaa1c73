"""Place ↔ QPV links measured again with territories.qpv_distance, up to 1 km (they stopped at 300 m):
the list's three QPV distances, the QPV pages and the diagnostic read them."""

from django.db import migrations

BATCH = 2000


def measure_again(apps, schema_editor):
    from territories.qpv_distance import ShapeGrid

    Structure = apps.get_model("actors", "Structure")
    StructureQPV = apps.get_model("actors", "StructureQPV")
    QPV = apps.get_model("territories", "QPV")
    if not Structure.objects.filter(location__isnull=False).exists() or not QPV.objects.exists():
        return
    grid = ShapeGrid(QPV.objects.values_list("code", "perimeter").iterator(chunk_size=200))
    StructureQPV.objects.all().delete()
    rows = []
    for pk, location in Structure.objects.filter(location__isnull=False).values_list("pk", "location").iterator(
            chunk_size=BATCH):
        rows += [StructureQPV(structure_id=pk, qpv_id=code, distance_m=metres)
                 for code, metres in grid.links(location.x, location.y)]
        if len(rows) >= BATCH:
            StructureQPV.objects.bulk_create(rows)
            rows = []
    StructureQPV.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0242_update_campaigns"),
        ("territories", "0003_territories_verbose_names"),
    ]

    operations = [migrations.RunPython(measure_again, migrations.RunPython.noop)]
