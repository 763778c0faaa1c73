"""manage.py import_ateliers FICHIER|URL [--lieu SLUG] [--apply]

Reads an iCalendar agenda (.ics) or an OpenAgenda JSON export. With --lieu every event is at that place;
without it, each event's location names its place and unmatched events are reported. A simulation unless
--apply. Exit codes: 0 done; 2 written, with events left out (no place, no date…); 1 nothing written.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from actors.ateliers.importing import import_from
from actors.models import Structure


class Command(BaseCommand):
    help = _("Importe les ateliers d'un agenda iCalendar ou d'un export OpenAgenda (simulation sans --apply).")

    def add_arguments(self, parser):
        parser.add_argument("where", metavar="FICHIER_OU_URL")
        parser.add_argument("--lieu", metavar="SLUG", help=_("Le lieu de tous les événements de l'agenda."))
        parser.add_argument("--apply", action="store_true", help=_("Écrire dans la base (sinon : simulation)."))

    def handle(self, *args, **options):
        structure = None
        if options["lieu"]:
            structure = Structure.objects.filter(slug=options["lieu"]).first()
            if structure is None:
                raise CommandError(_("Aucun lieu « %(slug)s ».") % {"slug": options["lieu"]}, returncode=1)
        report = import_from(where=options["where"], structure=structure, apply=options["apply"])
        for line in report.lines:
            self.stdout.write(line)
        if report.failed:
            raise CommandError(_("Rien n'a été écrit."), returncode=1)
        self.stdout.write(report.summary())
        if not options["apply"]:
            self.stdout.write(self.style.WARNING(_("Simulation : rien n'a été écrit. Relancez avec --apply.")))
        if report.unmatched:
            raise CommandError(_("%(count)s événement(s) sans lieu ; les autres sont écrits.")
                               % {"count": report.unmatched}, returncode=2)
