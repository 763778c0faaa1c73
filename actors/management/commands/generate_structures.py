"""Generate a deterministic synthetic set of structures over the loaded communes (for benchmarks)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actors.core.writes import structures_bulk_delete
from actors.data_change import data_changed
from actors.devdata import synthetic
from actors.devdata.synthetic import SOURCE, candidate_communes
from actors.models import Structure


class Command(BaseCommand):
    help = (
        "Crée des lieux synthétiques (source « synthetique »), répartis sur les communes selon leur population. "
        "Même graine, mêmes lieux."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000, help="Nombre de lieux à créer (1000 par défaut).")
        parser.add_argument("--seed", type=int, default=1, help="Graine du tirage (1 par défaut).")
        parser.add_argument("--departements", nargs="+", metavar="CODE", help="Limiter à ces départements.")
        parser.add_argument(
            "--replace", action="store_true", help="Supprimer d'abord les lieux synthétiques existants."
        )

    def handle(self, *args, **options):
        if options["count"] < 1:
            raise CommandError("--count doit être un entier positif.")
        started = time.monotonic()
        with transaction.atomic():
            existing = Structure.objects.filter(source=SOURCE)
            if existing.exists():
                if not options["replace"]:
                    raise CommandError(
                        f"{existing.count()} lieux synthétiques existent déjà : relancez avec --replace."
                    )
                deleted = structures_bulk_delete(existing)
                self.stdout.write(f"{deleted} lieux synthétiques supprimés.")
            places = candidate_communes(options["departements"])
            if not places:
                raise CommandError(
                    "Aucune commune peuplée avec un centre : chargez d'abord les territoires "
                    "(manage.py load_territories)."
                )
            created = synthetic.create(
                count=options["count"], seed=options["seed"], places=places,
                progress=lambda done: self.stdout.write(f"{done} / {options['count']} lieux créés…"))
        data_changed()  # statistics, export files and counts, in the background
        self.stdout.write(self.style.SUCCESS(
            f"{created} lieux synthétiques créés sur {len(places)} communes en {time.monotonic() - started:.1f} s."
        ))
