import secrets
from contextvars import ContextVar

from django.conf import settings

# sha256 of the exact `style="…"` values allowed, in the form a browser reports them.
STYLE_ATTRIBUTE_HASHES = ["sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM="]  # "border-top: 0"

_current_nonce: ContextVar["Nonce | None"] = ContextVar("csp_nonce", default=None)


class Nonce:
    """A per-request script nonce, drawn only when something renders it (`str(request.csp_nonce)`).

    Public pages have no inline script at all, so their policy stays the same on every response and no nonce
    is drawn; the admin's map widget (django-leaflet reads `request.csp_nonce`) prints inline scripts that
    carry it.
    """

    def __init__(self):
        self._value: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value = secrets.token_urlsafe(18)
        return self._value

    @property
    def used(self) -> bool:
        return self._value is not None


def current_nonce() -> Nonce | None:
    """The nonce of the request being served, for code that renders widgets without the request at hand."""
    return _current_nonce.get()


class ContentSecurityPolicyMiddleware:
    """Sets a Content-Security-Policy on every response: scripts and styles from this site only.

    No 'unsafe-inline' for scripts: data that ever reached the page as markup could not run. Public maps are
    started from static/js/leaflet-maps.js with options in a JSON block; the admin's widget script carries a
    nonce. No 'unsafe-inline' for styles either: templates carry no style attribute, and Leaflet positions
    its panes through the CSSOM (`element.style`), which a policy does not restrict.
    Views that must be framed by partner sites mark themselves with `frame_ancestors`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = nonce = Nonce()
        token = _current_nonce.set(nonce)
        try:
            response = self.get_response(request)
        finally:
            _current_nonce.reset(token)
        if "Content-Security-Policy" in response:
            return response
        frame_ancestors = getattr(response, "frame_ancestors", "'none'")
        scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce.used else "")
        policy = [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self'",
            # The one style attribute of a third-party admin template (django-simple-history's paginator).
            "style-src-attr 'unsafe-hashes' " + " ".join(f"'{h}'" for h in STYLE_ATTRIBUTE_HASHES),
            "img-src " + " ".join(settings.CSP_IMG_SRC),
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
        response["Content-Security-Policy"] = "; ".join(policy)
        return response
