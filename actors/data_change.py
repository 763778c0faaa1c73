"""What runs after the places change in bulk: planner statistics, the national export files, warm caches.

`after_data_change` is a background task enqueued by the bulk writers (generator, demo loader, imports).
"""

import logging

from django_tasks import task

from actors.core.planner_statistics import refresh_statistics
from actors.diagnostic.caching import warm_diagnostics
from actors.directory import counts as listcache
from actors.open_data import files as exportfiles

logger = logging.getLogger(__name__)

@task()
def after_data_change() -> dict:
    """Statistics, national export files, facet counts of the unfiltered directory (kept in the cache)."""
    refresh_statistics()
    built = exportfiles.build_all()
    listcache.warm()
    logger.info("Après modification des lieux : %s", built)
    warm_diagnostics.enqueue()  # its own job: the diagnostics of every département, after the files
    return built


def data_changed() -> None:
    """Call after a bulk write: the work runs in the background (at once in tests)."""
    after_data_change.enqueue()
