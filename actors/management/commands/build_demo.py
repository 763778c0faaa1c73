"""manage.py build_demo: import the eight Nouvelle-Aquitaine files, then save the demo snapshot."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from actors.devdata import demo
from actors.imports import import_file
from territories.models import Commune


class Command(BaseCommand):
    help = _(
        "Importe les huit fichiers de actors/data/demo/sources/ avec l'importeur puis écrit l'instantané "
        "actors/data/demo/demo.json.gz que load_demo recharge. À lancer sur une base où seuls les "
        "territoires de Nouvelle-Aquitaine sont chargés."
    )

    def handle(self, *args, **options):
        if not Commune.objects.filter(departement_id="33").exists():
            raise CommandError(_("Chargez d'abord les territoires : manage.py load_territories."))
        sources = []
        for name in demo.SOURCE_FILES:
            report = import_file(demo.SOURCES_DIR / name, apply=True)
            self.stdout.write(report.summary() + f" [{report.seconds:.1f} s]")
            if not report.ok:
                raise CommandError(report.fatal)
            sources.extend(source for source in report.sources if source not in sources)
        data = demo.snapshot(sources)
        demo.write_snapshot(data)
        self.stdout.write(self.style.SUCCESS(
            _("Instantané écrit : %(count)s lieux, %(pairs)s doublons probables → %(path)s") % {
                "count": len(data["structures"]), "pairs": len(data["duplicates"]), "path": demo.SNAPSHOT}
        ))
