"""Ask places to confirm or correct their record (dry run unless --send): a département, an EPCI, a commune, a
list of places, and/or those without a confirmation for N months (criteria given together all apply)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actors.campaigns import sending, targets


class Command(BaseCommand):
    help = ("Envoie à chaque lieu choisi (courriel public) son lien personnel de mise à jour ; liste les lieux "
            "sans courriel, à appeler. Sans --send, n'envoie rien et dit à qui il écrirait.")

    def add_arguments(self, parser):
        parser.add_argument("--departement", default="", help="Code du département, par exemple 87.")
        parser.add_argument("--epci", default="", help="SIREN de l'EPCI, par exemple 248719312.")
        parser.add_argument("--commune", default="", help="Code INSEE de la commune, par exemple 87085.")
        parser.add_argument("--lieux", default="", help="Identifiants d'URL (slugs) des lieux, séparés par des "
                                                        "virgules.")
        parser.add_argument("--non-verifies-depuis", type=int, default=None, metavar="MOIS",
                            help="Seulement les lieux sans confirmation (coordination ou lieu) depuis MOIS mois.")
        parser.add_argument("--stale-only", action="store_true", help="Seulement les lieux « À vérifier ».")
        parser.add_argument("--send", action="store_true", help="Envoyer vraiment (sinon : simulation).")

    def handle(self, *args, departement: str, epci: str, commune: str, lieux: str, non_verifies_depuis: int | None,
               stale_only: bool, send: bool, **options):
        slugs = tuple(dict.fromkeys(slug.strip() for slug in lieux.split(",") if slug.strip()))
        try:
            target = targets.places_to_ask(departement=departement.strip(), epci=epci.strip(),
                                           commune=commune.strip(), slugs=slugs,
                                           unconfirmed_months=non_verifies_depuis, stale_only=stale_only)
        except targets.UnknownTarget as error:
            raise CommandError(str(error)) from error
        selection = sending.select(target.places)
        write = self.stdout.write
        write(f"{target.label} : {len(selection.with_email)} lieu(x) avec courriel, "
              f"{len(selection.to_call)} sans courriel (à appeler).")
        if target.not_listed:
            write("Non sollicités (brouillon, archivé ou réuni à une autre fiche) : " + ", ".join(target.not_listed))
        if selection.with_email:
            write("\nRecevraient un courriel :" if not send else "\nReçoivent un courriel :")
            for place in selection.with_email:
                write(f"  {place.display_name} — {place.commune_nom} — {place.courriel_list[0]}")
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
        label = f"{target.label} — {timezone.localdate():%d/%m/%Y}"
        campaign = sending.campaign_start(label=label, structures=selection.with_email, to_call=selection.to_call)
        write(self.style.SUCCESS(f"\nCampagne « {campaign} » : {len(selection.with_email)} envoi(s) mis en file "
                                 "(le worker de tâches les envoie)."))
        if selection.to_call:
            write(f"Fiche d'appel des {len(selection.to_call)} lieu(x) sans courriel : admin, campagne {campaign.pk}.")
