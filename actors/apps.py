from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Lieux de médiation numérique")

    def ready(self):
        # Imported here because Django requires it: these modules read the models, which are not loaded until
        # the app registry is ready. Schema upkeep, not business logic: SQLite table rebuilds disable
        # SpatiaLite's spatial indexes.
        from actors.core.planner_statistics import statistics_after_migrate
        from actors.core.spatial_index import repair_after_migrate

        post_migrate.connect(repair_after_migrate, sender=self, dispatch_uid="actors.core.spatial_index.repair")
        # SQLite has no autovacuum: without statistics its planner reads whole tables (planner_statistics.py).
        post_migrate.connect(statistics_after_migrate, sender=self, dispatch_uid="actors.core.planner_statistics")
