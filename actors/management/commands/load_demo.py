"""manage.py load_demo: the Nouvelle-Aquitaine demo places, restored from the shipped snapshot."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from actors import data_change
from actors.devdata import demo


class Command(BaseCommand):
    help = _(
        "Charge les lieux de démonstration de Nouvelle-Aquitaine (8 fichiers réels importés par l'importeur). "
        "Les territoires doivent être chargés avant. Relancer ne change rien."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            counts = demo.restore(demo.read_snapshot())
        except demo.TerritoriesMissing as missing:
            raise CommandError(
                _("%(count)s communes des lieux de démonstration sont absentes : chargez d'abord les territoires "
                  "(manage.py load_territories).") % {"count": missing.args[0]}
            ) from missing
        elapsed = time.monotonic() - started
        if not counts["created"]:
            self.stdout.write(_("Démo déjà chargée (%(total)s lieux) : rien à faire. [%(s).1f s]") % {
                "total": counts["total"], "s": elapsed})
            return
        # As after any bulk write: planner statistics, national export files and warm counts, in the background.
        data_change.data_changed()
        self.stdout.write(self.style.SUCCESS(
            _("Démo chargée : %(created)s lieux créés sur %(total)s, %(pairs)s doublons probables. [%(s).1f s]") % {
                "created": counts["created"], "total": counts["total"], "pairs": counts["duplicates"], "s": elapsed}
        ))
