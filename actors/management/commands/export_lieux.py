"""Export the published structures in the national standard (CSV, JSON or GeoJSON)."""

from django.core.management.base import BaseCommand, CommandError

from actors.open_data.export_views import selection
from actors.open_data.exports import WRITERS, export_chunks


class Command(BaseCommand):
    help = "Exporte les lieux publiés au standard « Lieux de médiation numérique » (CSV, JSON ou GeoJSON)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(WRITERS), default="csv", help="Format (csv par défaut).")
        parser.add_argument("--departement", help="Code du département, par exemple 87.")
        parser.add_argument("--epci", help="SIREN de l'EPCI.")
        parser.add_argument("--commune", help="Code INSEE de la commune.")
        parser.add_argument("--output", help="Fichier à écrire (sortie standard par défaut).")

    def handle(self, *args, **options):
        params = {name: options[name] for name in ("departement", "epci", "commune") if options[name]}
        filterset, notices = selection(params)
        if notices:
            raise CommandError(" ".join(notices))
        chunks = export_chunks(filterset.qs, options["format"])
        if not options["output"]:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        count = filterset.qs.count()
        # newline="" keeps the CSV's CRLF line ends as the standard's files have them.
        with open(options["output"], "w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
        self.stderr.write(f"{count} lieux exportés dans {options['output']}.")
