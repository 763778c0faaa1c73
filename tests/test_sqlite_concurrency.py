"""SpatiaLite as configured (WAL, busy timeout): a long write transaction (an import) never blocks a reader.

In SQLite's default rollback-journal mode, a writer whose changes outgrow the page cache takes the
exclusive lock until it commits: every page read waits for the import to end, then fails with "database
is locked" once the busy timeout is over (the 500 errors seen during long imports). In WAL mode readers
read the last committed state without waiting.
"""

import threading
import time
from pathlib import Path

from django.db import OperationalError
from django.db.utils import ConnectionHandler

from inclusion.database import database_from_url

WAL = database_from_url("spatialite:////tmp/x", Path("/"))["OPTIONS"]["init_command"]  # the settings' own
ROWS = 60_000  # ~12 MB: more than the page cache below, so the writer spills to the database file
HELD = 1.5  # seconds the write transaction stays open after its inserts


def reads_during_a_long_write(tmp_path, journal: str) -> tuple[float, int, list[str]]:
    """(longest read in seconds, reads, errors) of a reader thread while another connection writes."""
    config = database_from_url(f"spatialite:///{tmp_path}/site.sqlite3", tmp_path)
    config["OPTIONS"]["init_command"] = f"{journal};PRAGMA cache_size=50"
    handler = ConnectionHandler({"default": config})
    writer = handler["default"]
    with writer.cursor() as cursor:
        cursor.execute("CREATE TABLE place (id INTEGER PRIMARY KEY, name TEXT)")
        cursor.execute("INSERT INTO place (name) VALUES ('Médiathèque')")
    durations, errors, started, stop = [], [], threading.Event(), threading.Event()

    def reader():
        connection = handler["default"]  # per thread: a connection of its own, like a web worker
        try:
            while not stop.is_set():
                began = time.monotonic()
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT count(*), max(name) FROM place")
                        cursor.fetchone()
                except OperationalError as error:
                    errors.append(str(error))
                durations.append(time.monotonic() - began)
                started.set()
                time.sleep(0.02)
        finally:
            connection.close()

    thread = threading.Thread(target=reader)
    thread.start()
    started.wait(5)
    with writer.cursor() as cursor:
        cursor.execute("BEGIN IMMEDIATE")
        cursor.executemany("INSERT INTO place (name) VALUES (%s)", [("x" * 200,)] * ROWS)
        time.sleep(HELD)  # the import is still writing
        cursor.execute("COMMIT")
    stop.set()
    thread.join(30)
    writer.close()
    return max(durations), len(durations), errors


def test_pages_keep_reading_while_an_import_holds_the_write_lock(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():  # a database file of its own, not the test database
        longest, reads, errors = reads_during_a_long_write(tmp_path, WAL)
    assert errors == []
    assert reads >= 10 and longest < HELD / 2


def test_without_wal_the_same_reads_wait_for_the_whole_write(tmp_path, django_db_blocker):
    # The defect the configuration removes (the test above could fail): readers wait for the commit.
    with django_db_blocker.unblock():
        longest, _reads, errors = reads_during_a_long_write(tmp_path, "PRAGMA journal_mode=DELETE")
    assert longest >= HELD / 2 or errors
