import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territories.files import DATA_DIR
from territories.loader import (
    LoadError,
    files_checksum,
    is_up_to_date,
    parse_departements,
    read_dataset,
    write_dataset,
)


class Command(BaseCommand):
    help = ("Charge (ou met à jour) régions, départements, EPCI, communes et QPV depuis les fichiers livrés "
            "dans territories/data/. Sans effet si ces fichiers sont déjà chargés.")

    def add_arguments(self, parser):
        parser.add_argument("--departements", help="Codes de départements séparés par des virgules (ex. 86,87) : "
                                                   "ne charge que ceux-ci, leurs régions, EPCI, communes et QPV.")
        parser.add_argument("--force", action="store_true", help="Recharge même si les fichiers n'ont pas changé.")
        parser.add_argument("--data-dir", default=str(DATA_DIR), help="Dossier des fichiers (par défaut : livrés).")

    def handle(self, *args, departements: str | None, force: bool, data_dir: str, **options):
        started = time.monotonic()
        codes = parse_departements(departements)
        scope = ",".join(sorted(codes)) if codes else ""
        path = Path(data_dir)
        checksum = files_checksum(path)
        if not force and is_up_to_date(scope, checksum):
            self.stdout.write("Territoires déjà à jour (fichiers inchangés) : rien à faire.")
            return
        try:
            dataset = read_dataset(path, codes)
        except LoadError as error:
            raise CommandError(f"Chargement annulé, base inchangée. {error}") from error
        except ValueError as error:
            raise CommandError(f"Chargement annulé : {error}.") from error
        counts = write_dataset(dataset, scope, checksum)
        for label, (created, updated) in counts.items():
            self.stdout.write(f"{label} : {created + updated} ({created} créés, {updated} mis à jour)")
        self.stdout.write(self.style.SUCCESS(f"Territoires chargés en {time.monotonic() - started:.1f} s."))
