from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territories.build import SourceError, build_files
from territories.files import DATA_DIR


class Command(BaseCommand):
    help = "Reconstruit les fichiers compacts de territories/data/ à partir des données de référence."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", default="../shared/data",
                            help="Dossier des données de référence (contient geo/ et qpv/).")
        parser.add_argument("--cog", dest="cog", default="",
                            help="communes.json du paquet npm @etalab/decoupage-administratif (anciennes communes).")
        parser.add_argument("--to", dest="target", default=str(DATA_DIR), help="Dossier de sortie.")

    def handle(self, *args, source: str, target: str, cog: str, **options):
        try:
            results = build_files(Path(source), Path(target), cog_communes=Path(cog) if cog else None)
        except SourceError as error:
            raise CommandError(str(error)) from error
        for name, (rows, size) in results.items():
            self.stdout.write(f"{name} : {rows} lignes, {size / 1024:.0f} Kio")
