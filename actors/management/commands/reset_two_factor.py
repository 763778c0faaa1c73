"""manage.py reset_two_factor EMAIL: remove a coordinator's two-factor devices (lost phone, no backup code left).

At the next sign-in the account enrols an app again (with ADMIN_TOTP_REQUIRED) before reaching the admin.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from inclusion import twofactor


class Command(BaseCommand):
    help = ("Supprime l'application d'authentification et les codes de secours d'un compte (téléphone perdu) : "
            "il en activera une nouvelle à sa prochaine connexion.")

    def add_arguments(self, parser):
        parser.add_argument("account", help="Courriel ou identifiant du compte.")

    def handle(self, *args, account: str, **options):
        users = get_user_model().objects.filter(Q(username__iexact=account) | Q(email__iexact=account))
        if len(users) != 1:
            raise CommandError(f"Aucun compte unique ne correspond à « {account} » "
                               f"({len(users)} trouvé(s)) : donnez l'identifiant exact.")
        user = users[0]
        removed = twofactor.devices_reset(user=user)
        self.stdout.write(self.style.SUCCESS(
            f"{user.get_username()} : {removed} appareil(s) supprimé(s) ; une nouvelle application sera "
            "demandée à la prochaine connexion."))
