"""manage.py erase_reporter_emails: forget the e-mails of decided reports and of reports older than the
retention period (REPORTER_EMAIL_RETENTION_DAYS, 90 by default). Run it daily from cron (see README)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from actors.models import CorrectionReport


class Command(BaseCommand):
    help = _("Efface les courriels des personnes ayant signalé une erreur, une fois le signalement traité ou "
             "après la durée de conservation.")

    def handle(self, *args, **options):
        count = CorrectionReport.objects.email_expired().update(contact_email="")
        self.stdout.write(_("%(count)d courriel(s) effacé(s) (conservation : %(days)d jours).")
                          % {"count": count, "days": settings.REPORTER_EMAIL_RETENTION_DAYS})
