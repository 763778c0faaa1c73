"""Ask the places of a département to confirm or correct their record (dry run unless --send)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actors.campaigns import sending
from actors.models import Structure
from territories.models import Departement


class Command(BaseCommand):
    help = ("Envoie à chaque lieu d'un département (courriel public) son lien personnel de mise à jour ; "
            "liste les lieux sans courriel, à appeler. Sans --send, n'envoie rien.")

    def add_arguments(self, parser):
        parser.add_argument("--departement", required=True, help="Code du département, par exemple 87.")
        parser.add_argument("--stale-only", action="store_true", help="Seulement les lieux « À vérifier ».")
        parser.add_argument("--send", action="store_true", help="Envoyer vraiment (sinon : simulation).")

    def handle(self, *args, departement: str, stale_only: bool, send: bool, **options):
        territory = Departement.objects.filter(pk=departement.upper()).first()
        if territory is None:
            raise CommandError(f"Département inconnu : {departement}")
        places = Structure.objects.in_departement(territory.pk)
        if stale_only:
            places = places.stale()
        selection = sending.select(places)
        write = self.stdout.write
        write(f"{territory} : {len(selection.with_email)} lieu(x) avec courriel, "
              f"{len(selection.to_call)} sans courriel (à appeler).")
        if selection.to_call:
            write("\nÀ appeler (pas de courriel public) :")
            for place in selection.to_call:
                write(f"  {place.display_name} — {place.commune_nom} — {place.telephone or 'pas de téléphone'}")
        if not send:
            write("\nSimulation : aucun courriel envoyé. Relancez avec --send pour envoyer.")
            return
        if not selection.with_email and not selection.to_call:
            write("Aucun lieu à solliciter.")
            return
        label = f"{territory} — {timezone.localdate():%d/%m/%Y}" + (" (à vérifier)" if stale_only else "")
        campaign = sending.campaign_start(label=label, structures=selection.with_email, to_call=selection.to_call)
        write(self.style.SUCCESS(f"\nCampagne « {campaign} » : {len(selection.with_email)} envoi(s) mis en file "
                                 "(le worker de tâches les envoie)."))
        if selection.to_call:
            write(f"Fiche d'appel des {len(selection.to_call)} lieu(x) sans courriel : admin, campagne {campaign.pk}.")
