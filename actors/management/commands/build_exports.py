"""Run now what follows a bulk change of places: statistics, national export files, warm list counts."""

import time

from django.core.management.base import BaseCommand

from actors.core.planner_statistics import refresh_statistics
from actors.directory import counts as listcache
from actors.open_data import files as exportfiles


class Command(BaseCommand):
    help = (
        "Met à jour les statistiques de la base, écrit les fichiers nationaux d'export (CSV, JSON, GeoJSON "
        "compressés) et calcule les comptes de l'annuaire. Le travail d'arrière-plan fait la même chose après "
        "chaque changement des lieux."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        refresh_statistics()
        sizes = exportfiles.build_all()
        warmed = listcache.warm()
        described = ", ".join(f"{fmt} {size / 1e6:.1f} Mo" for fmt, size in sizes.items())
        self.stdout.write(self.style.SUCCESS(
            f"Exports nationaux écrits dans {exportfiles.root()} ({described}), {warmed} listes comptées, "
            f"en {time.monotonic() - started:.1f} s."
        ))
