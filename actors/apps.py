from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Lieux de médiation numérique")

    def ready(self):
        # Schema upkeep, not business logic: SQLite table rebuilds disable SpatiaLite's spatial indexes.
        from actors.spatial import repair_after_migrate
        from actors.upkeep import statistics_after_migrate

        post_migrate.connect(repair_after_migrate, sender=self, dispatch_uid="actors.spatial.repair")
        # SQLite has no autovacuum: without statistics its planner reads whole tables (see upkeep.py).
        post_migrate.connect(statistics_after_migrate, sender=self, dispatch_uid="actors.upkeep.statistics")
