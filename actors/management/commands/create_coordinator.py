from django.core.management.base import BaseCommand, CommandError

from actors.core.scope import coordinator_create


class Command(BaseCommand):
    help = "Crée (ou complète) un compte de coordinateur limité à des territoires."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--departement", action="append", default=[], help="Code du département (répétable)")
        parser.add_argument("--epci", action="append", default=[], help="SIREN de l'EPCI (répétable)")
        parser.add_argument("--commune", action="append", default=[], help="Code INSEE de la commune (répétable)")
        parser.add_argument("--password", default=None,
                            help="Mot de passe ; sans lui, le compte devra en définir un (« mot de passe oublié » "
                                 "ou manage.py changepassword).")

    def handle(self, *args, email, departement, epci, commune, password, **options):
        try:
            user = coordinator_create(email, departements=departement, epcis=epci, communes=commune,
                                      password=password)
        except ValueError as error:
            raise CommandError(str(error)) from error
        scopes = ", ".join(str(scope.departement or scope.epci or scope.commune)
                           for scope in user.coordinator_scopes.all())
        self.stdout.write(self.style.SUCCESS(f"Coordinateur {user.username} : {scopes}"))
