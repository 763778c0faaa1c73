"""Remind the places that have not answered an update request after 15 and 30 days (dry run unless --send).

Run it daily (cron, see README); the worker also runs it once when it starts (scripts/serve.sh)."""

from django.core.management.base import BaseCommand
from django.utils import formats, timezone

from actors.campaigns import reminders


class Command(BaseCommand):
    help = ("Relance par courriel les lieux qui n'ont pas répondu à une demande de mise à jour (après 15 puis "
            "30 jours). Sans --send, liste seulement les relances dues. Une relance n'est jamais envoyée deux fois.")

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="Envoyer vraiment (sinon : simulation).")
        parser.add_argument("--enqueue", action="store_true",
                            help="Confier la tournée au worker de tâches (au démarrage du serveur).")

    def handle(self, *args, send: bool, enqueue: bool, **options):
        if enqueue:
            reminders.send_due_reminders.enqueue()
            self.stdout.write("Tournée des relances confiée au worker de tâches.")
            return
        now = timezone.now()
        found = reminders.send_due(now=now) if send else reminders.due(now)
        for item in found:
            request = item.request
            self.stdout.write(f"  relance {item.number} — {request.structure.display_name} — "
                              f"{request.structure.courriel_list[0]} — « {request.campaign} », envoyée le "
                              f"{formats.date_format(timezone.localdate(request.sent_at), 'j F Y')}")
        if send:
            self.stdout.write(self.style.SUCCESS(f"{len(found)} relance(s) mise(s) en file d'envoi."))
        else:
            self.stdout.write(f"{len(found)} relance(s) due(s). Simulation : aucun courriel envoyé. "
                              "Relancez avec --send pour envoyer.")
