"""Read a mailbox (Maildir or mbox) where campaign failures and replies arrive, into the campaign reports."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actors.campaigns import bounces
from actors.models import UpdateRequest


class Command(BaseCommand):
    help = ("Lit une boîte aux lettres (dossier Maildir ou fichier mbox) : les avis de non-remise marquent la "
            "demande « adresse en échec », les réponses « réponse reçue ». Relire la même boîte ne change rien.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="Dossier Maildir ou fichier mbox.")
        parser.add_argument("--dry-run", action="store_true", help="Lire et compter sans rien enregistrer.")

    def handle(self, *args, path: str, dry_run: bool, **options):
        try:
            outcome = bounces.read(Path(path), write=not dry_run)
        except bounces.MailboxUnreadable as error:
            raise CommandError(str(error)) from error
        names = dict(UpdateRequest.objects.filter(pk__in=[pk for pk, _r in outcome.failed] + outcome.replied)
                     .values_list("pk", "structure__nom"))
        write = self.stdout.write
        write(f"Adresses en échec : {len(outcome.failed)}")
        for pk, reason in outcome.failed:
            write(f"  {names.get(pk, pk)} — {reason}")
        write(f"Réponses reçues : {len(outcome.replied)}")
        for pk in outcome.replied:
            write(f"  {names.get(pk, pk)}")
        write(f"Déjà enregistrés : {outcome.already_known} · retards signalés : {outcome.delayed} · "
              f"réponses automatiques : {outcome.automatic} · "
              f"messages envoyés par l'annuaire lui-même : {outcome.own} · illisibles : {outcome.unreadable}")
        if outcome.unmatched:
            write(f"Sans demande correspondante : {len(outcome.unmatched)}")
            for line in outcome.unmatched:
                write(f"  {line}")
        if dry_run:
            write("Simulation : rien n'a été enregistré.")
