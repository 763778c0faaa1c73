"""Record today's freshness of every département (the dashboard's history); run daily, see README."""

from django.core.management.base import BaseCommand

from actors.campaigns import freshness_history


class Command(BaseCommand):
    help = ("Enregistre la part des lieux publics à jour (vérifiés ou mis à jour par la source dans le délai de la "
            "règle de fraîcheur de leur département), par département (historique du tableau de bord). "
            "--backfill reconstitue les fins de mois de l'année écoulée.")

    def add_arguments(self, parser):
        parser.add_argument("--backfill", action="store_true",
                            help="Reconstituer les fins de mois passées sans relevé (valeurs estimées).")

    def handle(self, *args, backfill: bool, **options):
        rows = freshness_history.record()
        self.stdout.write(f"Relevé du jour : {rows} département(s).")
        if backfill:
            self.stdout.write(f"Reconstitution : {freshness_history.backfill()} relevé(s) estimé(s) ajouté(s).")
