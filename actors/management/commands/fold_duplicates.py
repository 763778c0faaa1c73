"""manage.py fold_duplicates: apply the folding rule to every published place and rebuild the groups."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from actors.core import honest_facts
from actors.duplicates import folding
from actors.models import Structure


class Command(BaseCommand):
    help = _(
        "Regroupe les doublons sûrs (une seule fiche publique par lieu) et recalcule les faits vérifiés "
        "(positions éloignées, déclarations en bloc). Sans risque à relancer."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        before = Structure.objects.public().count()
        facts = honest_facts.refresh()
        counts = folding.refresh()
        self.stdout.write(self.style.SUCCESS(_(
            "%(groups)s lieux regroupent %(copies)s fiches en double (%(changed)s changements) ; lieux publics : "
            "%(before)s → %(after)s. Points écartés : %(far)s ; déclarations en bloc : %(blanket)s. [%(s).1f s]"
        ) % {
            "groups": counts.groups, "copies": counts.copies, "changed": counts.changed, "before": before,
            "after": Structure.objects.public().count(), "far": facts["far_points"],
            "blanket": facts["blanket_claims"], "s": time.monotonic() - started,
        }))
