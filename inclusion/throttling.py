"""django-axes' authentication backend, for web sign-ins only."""

from axes.backends import AxesStandaloneBackend


class WebSignInThrottle(AxesStandaloneBackend):
    """Throttles every sign-in made through a request (the admin's form); a call without one (the test
    client's `login()`, a shell) has no address to count and is left to the next backends."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
