"""Read again every agenda registered in the admin (« Agendas d'ateliers »). Run it daily (cron, see README);
the worker also runs it once when it starts (scripts/serve.sh)."""

from django.core.management.base import BaseCommand

from actors.ateliers import feeds


class Command(BaseCommand):
    help = "Relit les agendas d'ateliers enregistrés et met à jour leurs séances ; les échecs sont notés sur l'agenda."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Confier la lecture au worker de tâches.")

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            feeds.refresh_feeds.enqueue()
            self.stdout.write("Lecture des agendas d'ateliers confiée au worker de tâches.")
            return
        counts = feeds.refresh_all()
        self.stdout.write(f"{counts['lus']} agenda(s) lu(s), {counts['en_echec']} en échec.")
