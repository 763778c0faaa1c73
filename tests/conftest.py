import os

import pytest

# Playwright's sync API keeps an event loop in the test thread; the ORM calls made by tests are still
# synchronous, so Django's async-safety guard is lifted for the test process only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    "tests.fixtures.base",
    "tests.fixtures.browser",
    "tests.fixtures.coordination",
]


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
