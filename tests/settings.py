"""The settings of the test run: production's module, with the one variable production must set itself."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-never-used-outside-pytest-0123456789abcdefghijklmnop")

from inclusion.settings import *  # noqa: E402,F403

# Sign-in tests hash many passwords: the slow production hasher only costs time here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Whole-page caching (inclusion/pagecache.py) is tested where it is the subject (tests/test_page_cache.py):
# elsewhere a test reads the view's own response (its context) at each request.
PAGE_CACHE_SECONDS = 0

# The place index (actors/index/) is built in the request: a test's data lives in a transaction that the
# background build's own connection would not see.
PLACE_INDEX_IN_BACKGROUND = False
