"""Sign-in throttling with django-axes, counted in the database (every worker, every restart shares it).

Two limits: LOGIN_FAILURE_LIMIT failures for one account from one address lock that pair; and
LOGIN_ACCOUNT_FAILURE_LIMIT failures for one account from all addresses together lock the account, so a spray
from many addresses stops too. Each further round of the account limit doubles the wait (progressive cool-off,
at most LOGIN_COOLOFF_MAX_HOURS). The owner is not locked out by the account lock: a browser where the account
signed in successfully before carries a signed « known device » cookie, and is judged by the first limit only.
"""

import datetime as dt

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.db.models import Sum

KNOWN_DEVICE_COOKIE = "appareil_connu"
_SALT = "inclusion.throttling.known-device"


class WebSignInThrottle(AxesStandaloneBackend):
    """Throttles every sign-in made through a request (the admin's form); a call without one (the test
    client's `login()`, a shell) has no address to count and is left to the next backends."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def username_of(request, credentials: dict | None = None) -> str:
    """The account name axes counts failures for, as the form field or the credentials give it, cut to the
    255 characters its table holds (a longer hostile name must be counted, not fail the sign-in page)."""
    source = credentials if credentials else getattr(request, "POST", {})
    return str(source.get("username", "") or "")[:255]


def account_failures(username: str) -> int:
    """Failures of one account from every address, as kept by axes (expired attempts are deleted by axes)."""
    if not username:
        return 0
    total = AccessAttempt.objects.filter(username=username).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def cool_off(request=None) -> dt.timedelta:
    """The wait after a lockout: LOGIN_COOLOFF_MINUTES, doubled for each further round of the account limit."""
    base = dt.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    rounds = account_failures(username_of(request)) // settings.LOGIN_ACCOUNT_FAILURE_LIMIT if request else 0
    return min(base * 2 ** max(rounds - 1, 0), dt.timedelta(hours=settings.LOGIN_COOLOFF_MAX_HOURS))


def is_known_device(request, username: str) -> bool:
    """The browser signed in to this account before (a signed cookie that a sprayer cannot make)."""
    value = getattr(request, "COOKIES", {}).get(KNOWN_DEVICE_COOKIE, "")
    try:
        return bool(username) and signing.get_cookie_signer(salt=_SALT).unsign(value) == username
    except signing.BadSignature:
        return False


def account_locked(request, username: str) -> bool:
    return (account_failures(username) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT
            and not is_known_device(request, username))


class AccountThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, plus the lock of an account sprayed from many addresses."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if account_locked(request, username_of(request, credentials)):
            return max(failures, settings.AXES_FAILURE_LIMIT)  # counts as locked, from every unknown device
        return failures


class KnownDeviceMiddleware:
    """After a successful sign-in through the form, mark the browser as a known device of that account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (request.method == "POST" and response.status_code == 302 and "username" in request.POST
                and user is not None and user.is_authenticated
                and user.get_username() == username_of(request)):
            response.set_cookie(KNOWN_DEVICE_COOKIE,
                                signing.get_cookie_signer(salt=_SALT).sign(user.get_username()),
                                max_age=settings.KNOWN_DEVICE_DAYS * 86400, httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response
