import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the test thread; the ORM calls made by tests are still
# synchronous, so Django's async-safety guard is lifted for the test process only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Every module of tests/fixtures/ is a fixture plugin: each area of the product adds its own file.
pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}" for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts from an empty cache. Writes rolled back after a test can leave the data version where
    an earlier test left it, and a page, count or map cell cached then would answer for this test's data."""
    from django.core.cache import cache

    from actors.models import policy

    cache.clear()
    # The freshness policy is remembered per process under the data version, which a rollback can bring back.
    policy._current = None
    yield


@pytest.fixture(autouse=True, scope="session")
def tasks_run_inline():
    """Background tasks run at once in tests, unless a test overrides TASKS to use a worker of its own."""
    from django.test import override_settings

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        yield
