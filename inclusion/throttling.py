"""django-axes' authentication backend, for web sign-ins only."""

from axes.backends import AxesStandaloneBackend


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
