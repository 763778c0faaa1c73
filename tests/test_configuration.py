"""Configuration fails loudly: no start without SECRET_KEY, no silent typo in a boolean, no dependency range
that admits a version with a known vulnerability, and `check --deploy` clean with the documented variables."""

import os
import re
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from inclusion.settings import env_bool

ROOT = Path(__file__).resolve().parent.parent

# What the README's « Production » section tells a territory to set (besides DATABASE_URL).
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "annuaire.exemple.fr",
    "CSRF_TRUSTED_ORIGINS": "https://annuaire.exemple.fr", "SECURE_SSL_REDIRECT": "true", "BEHIND_PROXY": "true",
    "CLIENT_IP_HEADER": "X-Forwarded-For", "STATIC_MANIFEST": "true",
}


def run(code_or_args: list[str], **env) -> subprocess.CompletedProcess:
    """A fresh Python process with a clean environment, as a server or a command would start."""
    base = {key: value for key, value in os.environ.items()
            if key not in PRODUCTION and key not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    base.update(DJANGO_SETTINGS_MODULE="inclusion.settings", **env)
    return subprocess.run([sys.executable, *code_or_args], cwd=ROOT, env=base, capture_output=True, text=True,
                          timeout=120)


def test_the_web_server_refuses_to_start_without_a_secret_key():
    result = run(["-c", "import inclusion.wsgi"])
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY manquant" in result.stderr


def test_with_a_secret_key_every_process_uses_that_same_key():
    code = "import inclusion.wsgi; from django.conf import settings; print(settings.SECRET_KEY)"
    first, second = run(["-c", code], SECRET_KEY="k" * 50), run(["-c", code], SECRET_KEY="k" * 50)
    assert first.stdout.strip() == second.stdout.strip() == "k" * 50


def test_a_typo_in_a_boolean_variable_stops_the_start():
    result = run(["-c", "import inclusion.wsgi"], DEBUG="ture", SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "DEBUG='ture' n'est pas un booléen" in result.stderr


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", True), ("true", True), ("Yes", True), (" on ", True), ("0", False), ("FALSE", False), ("no", False),
    ("off", False), ("", True),  # empty: the default
])
def test_boolean_variables_read_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", True) is expected


@pytest.mark.parametrize("raw", ["ture", "flase", "2", "oui", "enabled", "-1"])
def test_anything_else_is_refused(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                 DATABASE_URL=f"spatialite:///{tmp_path}/db.sqlite3", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def dependency_floors() -> dict[str, Version]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floors = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        floors[requirement.name.lower()] = min(
            (Version(spec.version) for spec in requirement.specifier if spec.operator == ">="), default=Version("0")
        )
    return floors


@pytest.mark.parametrize(("package", "fixed_in", "advisory"), [
    ("django", "5.2.8", "CVE-2025-64459"),
    ("gunicorn", "23.0.0", "CVE-2024-6827"),
])
def test_no_dependency_range_admits_a_known_vulnerable_version(package, fixed_in, advisory):
    assert dependency_floors()[package] >= Version(fixed_in), advisory


def pins(lock: str) -> dict[str, Version]:
    found = {}
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line)
        if match:
            found[canonicalize_name(match.group(1))] = Version(match.group(2))
    return found


@pytest.mark.parametrize(("lock", "groups"), [("lock.txt", ["main"]), ("lock-dev.txt", ["main", "dev"])])
def test_the_lock_files_pin_every_dependency_within_its_range(lock, groups):
    """Fails when pyproject.toml changed without `make lock`: setup and CI install the lock files only."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *(project["optional-dependencies"]["dev"] if "dev" in groups else [])]
    pinned = pins(lock)
    for line in wanted:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} manque dans requirements/{lock} : lancez make lock"
        assert pinned[name] in requirement.specifier, f"{name}=={pinned[name]} hors de {requirement.specifier}"
    assert pinned["django"] >= Version("5.2.8") and pinned["gunicorn"] >= Version("23")
