"""Recompute the stored quality score of every place (its freshness points drop with time: run daily)."""

import time

from django.core.management.base import BaseCommand
from django.db.models import Count

from actors.core import quality
from actors.models import Structure


class Command(BaseCommand):
    help = "Recalcule le score de qualité (0–100) de chaque lieu ; à lancer chaque jour (la fraîcheur baisse)."

    def handle(self, *args, **options):
        started = time.monotonic()
        changed = quality.refresh()
        bands = {code: Structure.objects.filter(quality.band_condition(code)).count() for code, *_rest in quality.BANDS}
        total = Structure.objects.aggregate(n=Count("pk"))["n"]
        self.stdout.write(f"{changed} score(s) modifié(s) sur {total} lieux en {time.monotonic() - started:.1f} s. "
                          + ", ".join(f"{code} : {count}" for code, count in bands.items()))
