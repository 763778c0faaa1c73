"""gunicorn settings, read by `make run` and by `gunicorn inclusion.wsgi` started from this folder (production).

Sync workers: a request may hold one for at most `timeout` seconds, after which gunicorn restarts the worker.
"""

import os

# Two workers by default (the benchmark's setting); raise WEB_CONCURRENCY on a bigger machine (2 × cores + 1).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# The longest request allowed: the admin's import of a 20 MB file is the slowest legitimate one.
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 10
accesslog = "-"
# No runtime control socket (gunicorn ≥ 25): one shared path in $HOME would clash between instances.
control_socket_disable = True
# Request line and headers: gunicorn's defaults made explicit and tighter on header count; the body is capped
# by the app before it is read (inclusion/bodylimit.py).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190


def post_worker_init(worker):
    """Each worker starts building the place index at once (actors/index/), in its background thread, so that the
    first questions after a start or a restart are not all answered from SQL while it is built on demand."""
    from django.db import connections

    from actors.index import places

    try:
        places.current()
    except Exception:  # a database not reachable yet: the first question starts the build instead
        worker.log.exception("Place index not started")
    finally:
        connections.close_all()  # the worker's requests open their own connection
