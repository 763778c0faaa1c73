"""The PostgreSQL side of the query time limit: a cancel sent from a timer thread never outlives its request.

A cancel that reached the connection after the request's last statement would cut the next request's first
statement (the worker keeps its connection) and show that visitor « recherche trop large » for nothing.
"""

import threading
import time

from actors.timelimit import cancel_after


def test_leaving_the_block_waits_for_a_cancel_already_under_way():
    started, release, cancelled, left = (threading.Event() for _ in range(4))

    def cancel():
        started.set()
        release.wait(5)
        cancelled.set()

    def request():
        with cancel_after(0.01, cancel):
            started.wait(5)  # the deadline has passed and the cancel is on its way
        left.set()

    worker = threading.Thread(target=request)
    worker.start()
    assert started.wait(5)
    assert not left.wait(0.2)  # the request cannot move on to another statement yet
    release.set()
    worker.join(5)
    assert cancelled.is_set() and left.is_set()


def test_no_cancel_is_sent_once_the_block_has_ended():
    calls = []
    with cancel_after(0.05, lambda: calls.append("cancel")):
        pass
    time.sleep(0.2)  # well past the deadline: the timer would have fired
    assert calls == []


def test_a_block_still_running_at_the_deadline_is_cancelled_once():
    calls, fired = [], threading.Event()

    def cancel():
        calls.append("cancel")
        fired.set()

    with cancel_after(0.01, cancel):
        assert fired.wait(5)
    assert calls == ["cancel"]
