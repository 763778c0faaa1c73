"""`make run` serves like production: gunicorn with 2 workers beside the task worker, on one SQLite file
without "database is locked", and Ctrl-C (SIGINT to the terminal's process group) stops them all."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_commands(pgid: int) -> list[str]:
    result = subprocess.run(["ps", "-o", "args=", "-g", str(pgid)], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("post"),
                    reason="independent of the test database: runs once, in the SpatiaLite pass")
def test_serve_runs_gunicorn_with_two_workers_and_the_task_worker_and_ctrl_c_stops_all(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(SECRET_KEY="k" * 50, SECURE_COOKIES="false", DATABASE_URL=f"spatialite:///{tmp_path}/db.sqlite3",
               DJANGO_SETTINGS_MODULE="inclusion.settings")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True,
                   timeout=600)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(["scripts/serve.sh", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                # A long wait: a client giving up on the first page of a cold server on a busy machine makes the
                # worker log a broken pipe.
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=90) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.5)
        commands = group_commands(server.pid)
        assert sum("gunicorn" in command for command in commands) == 3  # the arbiter and 2 workers
        assert sum("db_worker" in command for command in commands) == 1
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        server.wait(timeout=60)
        deadline = time.monotonic() + 30
        while group_commands(server.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert group_commands(server.pid) == []
    finally:
        if server.poll() is None or group_commands(server.pid):
            os.killpg(server.pid, signal.SIGKILL)
    output = (tmp_path / "serve.log").read_text()
    assert "Booting worker" in output and "database is locked" not in output and "Traceback" not in output
