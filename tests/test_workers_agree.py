"""Every process gives the same answer: a coordinator changes a département's freshness policy in the admin of a
real gunicorn with 2 workers, each worker having kept its own caches (local memory, as `make run`); the next
requests to the list and to the diagnostic give what a process started after the change gives."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIST = "/lieux/?departement=87"
DIAGNOSTIC = "/territoires/departements/87/diagnostic.csv"
COUNT = re.compile(r"(\d[\d\s\u202f\xa0]*) lieux? trouvés?")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def list_count(html: str) -> int:
    found = COUNT.search(html)
    assert found, html[:2000]
    return int(re.sub(r"\D", "", found.group(1)))


def fresh_process_answers(env: dict) -> tuple[int, str]:
    """The list's count and the diagnostic's CSV, from a new process reading the same database."""
    script = (
        "import re, sys\n"
        "from django.test import Client\n"
        "client = Client()\n"
        f"page = client.get({LIST!r}).content.decode()\n"
        f"csv = client.get({DIAGNOSTIC!r}).content.decode()\n"
        "sys.stdout.write(page + '\\n=====CSV=====\\n' + csv)\n"
    )
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300, check=True)
    page, csv = result.stdout.split("\n=====CSV=====\n")
    return list_count(page), csv


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("post"),
                    reason="a database file of its own: runs once, in the SpatiaLite pass")
def test_after_a_policy_change_in_the_admin_both_workers_answer_as_a_fresh_process(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST", "REDIS"))}
    env.update(SECRET_KEY="k" * 50, SECURE_COOKIES="false", DATABASE_URL=f"spatialite:///{tmp_path}/db.sqlite3",
               DJANGO_SETTINGS_MODULE="inclusion.settings", DEBUG="false", ALLOWED_HOSTS="127.0.0.1,testserver",
               ADMIN_TOTP_REQUIRED="false")  # the second step is tested in tests/test_two_factor.py
    territories = ["load_territories", "--departements", "16,17,19,23,24,33,40,47,64,79,86,87", "-v0"]
    for command in (["migrate", "--no-input", "-v0"], territories,
                    ["load_demo", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=600,
                       capture_output=True)
    subprocess.run([sys.executable, "manage.py", "shell", "-c",
                    "from django.contrib.auth.models import User; "
                    "User.objects.create_superuser('coord', 'coord@exemple.fr', 'un mot de passe assez long')"],
                   cwd=ROOT, env=env, check=True, timeout=120)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "inclusion.wsgi", "-c", "gunicorn.conf.py",
                               "--workers", "2", "--bind", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + LIST, timeout=90) as response:
                    before = list_count(response.read().decode())
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.3)
        # Both workers read the policy, the counts, the pages and the diagnostic into their own memory.
        for _ in range(12):
            for path in (LIST, DIAGNOSTIC):
                with urllib.request.urlopen(base + path, timeout=90) as response:
                    response.read()

        # A coordinator signs in and sets Haute-Vienne's policy: « à vérifier » after 12 months, hidden after 12.
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def post(path: str, fields: dict) -> str:
            page = browser.open(base + path, timeout=90).read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
            request = urllib.request.Request(base + path, data=data, headers={"Referer": base + path})
            return browser.open(request, timeout=90).read().decode()

        post("/admin/login/?next=/admin/", {"username": "coord", "password": "un mot de passe assez long",
                                            "next": "/admin/"})
        saved = post("/admin/actors/freshnesspolicy/add/", {"departement": "87", "stale_after_months": "12",
                                                           "hide_after_months": "12"})
        assert "errornote" not in saved and "errorlist" not in saved, saved[:3000]

        expected_count, expected_csv = fresh_process_answers(env)
        assert expected_count < before  # the policy hides places: the change is visible at all
        for _ in range(8):
            with urllib.request.urlopen(base + LIST, timeout=90) as response:
                assert list_count(response.read().decode()) == expected_count
            with urllib.request.urlopen(base + DIAGNOSTIC, timeout=90) as response:
                assert response.read().decode().replace("\r\n", "\n") == expected_csv  # (the shell printed \n)
    finally:
        server.terminate()
        server.wait(timeout=60)
    output = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in output, output[-3000:]
